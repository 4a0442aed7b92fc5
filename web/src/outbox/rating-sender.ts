import type { Escalation } from '@phytodiag/api/contract';
import { apiJson, forAccount } from '../api/http';
import type { PhytoDb } from '../db/db';
import type { RatingOutboxRow } from '../db/types';
import { fetchCase } from '../lab/lab-api';
import { toMyCase } from './my-cases';
import { ratingQueue } from './rating-outbox';
import {
  flushUserQueue,
  isRefusedForGood,
  outcomeOfError,
  sendInItsTurn,
  settleQueued,
  type QueueFlushReport,
  type SenderRunOptions,
  type SendOutcome,
} from './queue-sender';
import { uploadDeadlineMs } from './sender';
import { recoverWhenAlone } from './sender-lock';

const RATINGS_LOCK = 'phytodiag-ratings';
/** Background Sync tag: the service worker sends the queue when the network returns (sw.ts). */
export const RATINGS_SYNC = 'phytodiag-ratings';

export type RatingOutcome = SendOutcome<Escalation>;

/**
 * One try. A case is rated once: 409 ALREADY_RATED means the server has a rating, this one after
 * a lost answer or one given on another device. Either way it is done, and the case as the server
 * has it now (with its rating) is what the device keeps.
 */
async function post(row: RatingOutboxRow, fetchImpl: typeof fetch): Promise<RatingOutcome> {
  const path = `/api/escalations/${encodeURIComponent(row.escalationId)}/rating`;
  const json = { score: row.score, ...(row.comment ? { comment: row.comment } : {}) };
  const signal = AbortSignal.timeout(uploadDeadlineMs(0));
  try {
    return {
      kind: 'sent',
      value: await apiJson<Escalation>(
        path,
        { method: 'POST', json, signal, headers: forAccount(row.userId) },
        fetchImpl,
      ),
    };
  } catch (err) {
    const out = outcomeOfError(err);
    if (out.kind !== 'refused' || out.code !== 'ALREADY_RATED') return out;
    try {
      return { kind: 'sent', value: await fetchCase(row.escalationId, fetchImpl) };
    } catch (readErr) {
      // The next try meets the same 409 and reads the case again.
      return outcomeOfError(readErr);
    }
  }
}

/**
 * Writes what a try came to. Sent: gone from the queue and the case on the device rated, in one
 * transaction (the form never shows again, the rating never twice). Refused: kept with the
 * server's reason for its author (settleQueued).
 */
export async function settleRating(
  db: PhytoDb,
  row: RatingOutboxRow,
  out: RatingOutcome,
  now?: number,
): Promise<void> {
  if (out.kind !== 'sent') return settleQueued(ratingQueue, db, row.clientId, out, now);
  await db.transaction('rw', db.ratingOutbox, db.myCases, async () => {
    await db.ratingOutbox.delete(row.clientId);
    if (await db.myCases.get(row.escalationId))
      await db.myCases.update(row.escalationId, toMyCase(out.value));
  });
}

/** Start-up, even offline: a rating whose page died mid-send stops reading « Envoi… ». */
export function recoverInterruptedRatings(db: PhytoDb): Promise<void> {
  return recoverWhenAlone(RATINGS_LOCK, async () => {
    await ratingQueue.markInterrupted(db);
  });
}

/** Sends this account's due ratings. */
export function flushRatings(
  db: PhytoDb,
  userId: string,
  opts: SenderRunOptions & { fetchImpl?: typeof fetch } = {},
): Promise<QueueFlushReport<Escalation>> {
  const fetchImpl = opts.fetchImpl ?? fetch.bind(globalThis);
  return flushUserQueue(
    db,
    userId,
    {
      lock: RATINGS_LOCK,
      queue: ratingQueue,
      send: (row) => post(row, fetchImpl),
      settle: (row, out) => settleRating(db, row, out, opts.now),
    },
    opts,
  );
}

/**
 * The form's « Envoyer mon avis »: the row was kept first (state 'sending'), then goes now, after
 * any run of the queue in progress. Refused for good: gone from the device when the form still
 * holds the score and says why (`formHolds`); kept with the refusal when the person has left the
 * screen meanwhile (the wait for a run in progress can be long).
 */
export async function sendRatingNow(
  db: PhytoDb,
  row: RatingOutboxRow,
  fetchImpl: typeof fetch = fetch.bind(globalThis),
  formHolds: () => boolean = () => true,
): Promise<RatingOutcome> {
  const outcome = await sendInItsTurn(RATINGS_LOCK, () => post(row, fetchImpl));
  if (isRefusedForGood(outcome) && formHolds()) await ratingQueue.forget(db, row.clientId);
  else await settleRating(db, row, outcome);
  return outcome;
}
