import type { DetectionReport } from '@phytodiag/api/contract';
import type { PhytoDb } from '../db/db';
import type { DetectionRow } from '../db/types';
import { countBackingOffIn, failedSendUpdate } from '../outbox/backoff';
import { SENDING_LEASE_MS } from '../outbox/outbox-repo';

/** The API accepts at most this many reports per POST (DetectionBatch maxItems). */
export const MAX_BATCH = 200;

export async function queueDetection(
  db: PhytoDb,
  userId: string,
  report: DetectionReport,
  now = Date.now(),
): Promise<void> {
  const stamp = new Date(now).toISOString();
  // add(), not put(): a clientId is written once; a second queueing of it would be a bug.
  await db.detections.add({
    clientId: report.clientId,
    createdAt: stamp,
    updatedAt: stamp,
    state: 'queued',
    userId,
    report,
    attempts: 0,
    nextAttemptAt: stamp,
    lastError: null,
    permanentError: false,
  });
}

function isDue(r: DetectionRow, now: number, force: boolean, userId?: string): boolean {
  if (userId && r.userId !== userId) return false;
  if (r.state === 'sending') return now - Date.parse(r.updatedAt) > SENDING_LEASE_MS;
  if (r.state === 'queued') return true;
  return !r.permanentError && (force || Date.parse(r.nextAttemptAt) <= now);
}

/**
 * Atomically move up to `max` due rows (oldest first) to 'sending', so two senders (page and
 * service worker) never post the same report at the same time.
 */
export async function claimDueDetections(
  db: PhytoDb,
  opts: { now?: number; force?: boolean; userId?: string; max?: number } = {},
): Promise<DetectionRow[]> {
  const now = opts.now ?? Date.now();
  return db.transaction('rw', db.detections, async () => {
    const rows = await db.detections.orderBy('createdAt').toArray();
    const due = rows
      .filter((r) => isDue(r, now, opts.force ?? false, opts.userId))
      .slice(0, opts.max ?? MAX_BATCH);
    const stamp = new Date(now).toISOString();
    for (const r of due) {
      r.state = 'sending';
      r.updatedAt = stamp;
    }
    await db.detections.bulkPut(due);
    return due;
  });
}

/** The server has them (accepted or duplicate): nothing left to keep on the device. */
export async function removeDetections(db: PhytoDb, ids: string[]): Promise<void> {
  await db.detections.bulkDelete(ids);
}

/** Back to the queue without spending an attempt (sign-in or consent needed first). */
export async function releaseDetections(db: PhytoDb, ids: string[], reason: string): Promise<void> {
  const stamp = new Date().toISOString();
  await db.transaction('rw', db.detections, async () => {
    for (const id of ids)
      await db.detections.update(id, { state: 'queued', lastError: reason, updatedAt: stamp });
  });
}

export async function failDetections(
  db: PhytoDb,
  ids: string[],
  message: string,
  permanent: boolean,
  now = Date.now(),
): Promise<void> {
  await db.transaction('rw', db.detections, async () => {
    for (const id of ids) {
      const row = await db.detections.get(id);
      if (!row) continue; // deleted meanwhile (consent withdrawn)
      await db.detections.update(id, failedSendUpdate(row.attempts, message, permanent, now));
    }
  });
}

/** Consent withdrawn, sign-out, account deleted: every unsent report goes. */
export async function clearDetections(db: PhytoDb): Promise<void> {
  await db.detections.clear();
}

/** Reports waiting out a backoff after a failed try (see the account queues' countBackingOff). */
export function countBackingOffDetections(db: PhytoDb, now = Date.now()): Promise<number> {
  return countBackingOffIn(db.detections, now);
}

/** Reports still to send (refused ones excluded: they will never leave). */
export async function pendingDetectionCount(db: PhytoDb): Promise<number> {
  return db.detections.filter((r) => !r.permanentError).count();
}
