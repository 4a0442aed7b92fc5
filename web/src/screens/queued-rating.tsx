import { useTranslation } from 'react-i18next';
import { useRescueFocus } from '../components/action-notice';
import type { RatingOutboxRow } from '../db/types';

/**
 * The requester's rating still on this device: waiting for the network, being sent, or refused
 * (why, with « Réessayer »). « Supprimer » takes it back (to give another score, or none).
 * `justKept`: given here and now with no signal, the form that had the focus is gone and this
 * notice takes it.
 */
export function QueuedRating({
  row,
  online,
  justKept,
  onRetry,
  onDiscard,
}: {
  row: RatingOutboxRow;
  online: boolean;
  justKept: boolean;
  onRetry: () => void;
  onDiscard: () => void;
}) {
  const { t } = useTranslation();
  const ref = useRescueFocus<HTMLParagraphElement>(justKept);
  const score = row.score;
  const refused = row.permanentError;
  let state = t('rating.queued', { score });
  if (refused) state = t('rating.refused', { score, reason: row.lastError ?? '' });
  else if (row.state === 'sending') state = t('rating.sending', { score });
  // A try cut on a working network (a lost answer, a dropped signal): not waiting for it.
  else if (online && row.attempts > 0) state = t('rating.retrying', { score });
  else if (justKept) state = t('rating.kept', { score });
  return (
    <div className="card stack" data-testid="queued-rating">
      <p
        ref={ref}
        className={refused ? 'notice warn' : 'notice'}
        role="status"
        tabIndex={-1}
        data-testid="queued-rating-state"
      >
        {state}
      </p>
      {row.comment && <p className="pre">{row.comment}</p>}
      {row.state !== 'sending' && (
        <div className="row wrap">
          {refused && (
            <button type="button" className="btn" onClick={onRetry}>
              {t('rating.retry')}
            </button>
          )}
          <button type="button" className="btn" onClick={onDiscard}>
            {t('rating.discard')}
          </button>
        </div>
      )}
    </div>
  );
}
