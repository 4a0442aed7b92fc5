import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorText } from '../api/error-text';
import { ErrorAlert } from '../components/error-alert';

/** One question, 1–5, optional comment: short enough to be answered in the field. */
export function RatingForm({
  offline,
  onRate,
}: {
  /** No signal: the rating is given all the same, and kept on the device until it can go. */
  offline: boolean;
  onRate: (score: number, comment: string) => Promise<void>;
}) {
  const { t } = useTranslation();
  const [score, setScore] = useState<number | null>(null);
  const [comment, setComment] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function submit(e: React.FormEvent) {
    e.preventDefault();
    if (score === null) return;
    setBusy(true);
    setError(null);
    try {
      await onRate(score, comment.trim());
    } catch (err) {
      setError(errorText(err, t));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form
      className="card stack lab-form"
      onSubmit={(e) => void submit(e)}
      data-testid="rating-form"
    >
      <fieldset>
        <legend>{t('rating.question')}</legend>
        <div className="segmented">
          {[1, 2, 3, 4, 5].map((n) => (
            <label key={n} className={`seg ${score === n ? 'on' : ''}`}>
              <input
                type="radio"
                name="rating"
                value={n}
                checked={score === n}
                onChange={() => setScore(n)}
              />
              <span>
                {n}
                <span className="visually-hidden"> {t('rating.outOf')}</span>
              </span>
            </label>
          ))}
        </div>
        <p className="hint">{t('rating.scale')}</p>
      </fieldset>
      <div className="field">
        <label htmlFor="rating-comment">{t('rating.comment')}</label>
        <textarea
          id="rating-comment"
          rows={2}
          maxLength={2000}
          value={comment}
          onChange={(e) => setComment(e.target.value)}
        />
      </div>
      {offline && <p className="hint">{t('rating.offline')}</p>}
      <ErrorAlert message={error} />
      <button type="submit" className="btn primary" disabled={busy || score === null}>
        {t('rating.send')}
      </button>
    </form>
  );
}
