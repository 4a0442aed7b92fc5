import { ApiError } from '../api/http';
import { db } from '../db/db';
import { keepRating } from '../outbox/rating-outbox';
import { flushRatings, RATINGS_SYNC, sendRatingNow } from '../outbox/rating-sender';
import { isRefusedForGood } from '../outbox/queue-sender';
import { registerBackgroundSync } from '../pwa/background-sync';
import { accountQueueRunner } from './account-queue-runner';

// Sends the ratings given offline at the same moments as the case outbox (start-up, back online,
// the 30 s timer, sign-in), and by Background Sync when the app is closed. The case screen
// follows the queue and the case through live queries.

const runner = accountQueueRunner((userId, force) => flushRatings(db, userId, { force }));

export function kickRatings(force = false): Promise<void> {
  return runner.kick(force);
}

/**
 * The rating form's « Envoyer mon avis ». The rating is kept on the device first, then sent at
 * once when online: 'sent' once the server has it; 'kept' when it could not go (no network, the
 * server failing, the session ended), and it goes later by itself, by Background Sync (Chromium)
 * even if the app is closed by then. Refused for good (the lab reopened the case meanwhile), it is
 * not kept and the error is thrown: the form still holds the score and shows why.
 */
export async function giveRating(input: {
  userId: string;
  escalationId: string;
  score: number;
  comment: string;
  online: boolean;
  /** Whether the form is still on screen, holding the score (see sendRatingNow). */
  formHolds?: () => boolean;
}): Promise<'sent' | 'kept'> {
  const { online, formHolds = () => true, ...rating } = input;
  const row = await keepRating(db, rating, { state: online ? 'sending' : 'queued' });
  if (online) {
    const out = await sendRatingNow(db, row, undefined, formHolds);
    if (out.kind === 'sent') return 'sent';
    if (isRefusedForGood(out) && (await db.ratingOutbox.get(row.clientId)) === undefined)
      throw new ApiError(out.status, out.code, out.message);
  }
  void registerBackgroundSync(RATINGS_SYNC);
  return 'kept';
}
