import type { PhytoDb } from '../db/db';
import type { RatingOutboxRow } from '../db/types';
import { freshQueueFields, userQueue } from './user-queue';

/** The requester's ratings of answers waiting on the device (v8), by account. */
export const ratingQueue = userQueue((db) => db.ratingOutbox);

/**
 * Keeps a rating on the device before anything is sent: given with no signal, it survives a
 * reload, the app closed or a crash mid-send. `state: 'sending'` when the page sends it at once.
 */
export async function keepRating(
  db: PhytoDb,
  input: { userId: string; escalationId: string; score: number; comment: string },
  opts: { state?: 'queued' | 'sending'; now?: number } = {},
): Promise<RatingOutboxRow> {
  const row: RatingOutboxRow = {
    clientId: crypto.randomUUID(),
    ...freshQueueFields(input.userId, opts.state ?? 'queued', opts.now ?? Date.now()),
    escalationId: input.escalationId,
    score: input.score,
    comment: input.comment,
  };
  await db.ratingOutbox.add(row);
  return row;
}

/** This account's rating of one case still on the device, if any (a case is rated once). */
export async function queuedRatingOf(
  db: PhytoDb,
  userId: string,
  escalationId: string,
): Promise<RatingOutboxRow | null> {
  const rows = await db.ratingOutbox
    .where('escalationId')
    .equals(escalationId)
    .filter((r) => r.userId === userId)
    .sortBy('createdAt');
  return rows.at(-1) ?? null;
}
