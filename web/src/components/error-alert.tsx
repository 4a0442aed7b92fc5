import { useRescueFocus } from './action-notice';

/**
 * A screen's or form's error, announced by screen readers; renders nothing when there is none.
 * It takes the focus when the focus was lost (the submit button was disabled while sending).
 */
export function ErrorAlert({ message }: { message: string | null }) {
  const ref = useRescueFocus<HTMLParagraphElement>(!!message);
  if (!message) return null;
  return (
    <p ref={ref} className="notice error" role="alert" tabIndex={-1}>
      {message}
    </p>
  );
}
