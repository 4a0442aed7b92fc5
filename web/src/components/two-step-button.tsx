import { useEffect, useId, useRef, useState } from 'react';

/**
 * A destructive action in two steps: one mistaken tap with a gloved finger must not lose data,
 * and the confirming button takes the first one's place (and the focus) so the question is read
 * where the finger already is.
 */
export function TwoStepButton({
  label,
  accessibleLabel,
  question,
  confirmLabel,
  cancelLabel,
  onConfirm,
  testId,
}: {
  label: string;
  /** The first button's accessible name when `label` alone is the same for every item of a list. */
  accessibleLabel?: string;
  question: string;
  confirmLabel: string;
  cancelLabel: string;
  onConfirm: () => void;
  /** data-testid of the confirming button. */
  testId?: string;
}) {
  const [asking, setAsking] = useState(false);
  const confirm = useRef<HTMLButtonElement>(null);
  const first = useRef<HTMLButtonElement>(null);
  // « Annuler » gives the focus back to the first button, which takes its place again (else it
  // would fall to the page's start with the vanished buttons).
  const cancelled = useRef(false);
  const questionId = useId();
  useEffect(() => {
    if (asking) confirm.current?.focus();
    else if (cancelled.current) {
      cancelled.current = false;
      first.current?.focus();
    }
  }, [asking]);

  if (!asking) {
    return (
      <p>
        <button
          ref={first}
          type="button"
          className="btn"
          aria-label={accessibleLabel}
          onClick={() => setAsking(true)}
        >
          {label}
        </button>
      </p>
    );
  }
  return (
    <div className="card stack" role="group" aria-labelledby={questionId}>
      <p id={questionId}>{question}</p>
      <div className="row wrap">
        <button
          ref={confirm}
          type="button"
          className="btn primary"
          data-testid={testId}
          onClick={() => {
            setAsking(false);
            onConfirm();
          }}
        >
          {confirmLabel}
        </button>
        <button
          type="button"
          className="btn"
          onClick={() => {
            cancelled.current = true;
            setAsking(false);
          }}
        >
          {cancelLabel}
        </button>
      </div>
    </div>
  );
}
