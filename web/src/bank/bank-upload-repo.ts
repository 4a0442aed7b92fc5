import type { BankSubmissionMeta } from '@phytodiag/api/contract';
import type { PhytoDb } from '../db/db';
import type { BankUploadRow, BankUploadState } from '../db/types';
import { failedSendUpdate } from '../outbox/backoff';
import { INTERRUPTED, SENDING_LEASE_MS } from '../outbox/outbox-repo';

/**
 * Keeps an upload for the bank on the device before anything is sent: the photos survive a lost
 * signal, a closed tab or a crash mid-upload. `state: 'sending'` when the page uploads it at once
 * (the queue's sender leaves it alone for the lease, then takes it as abandoned).
 */
export async function keepBankUpload(
  db: PhytoDb,
  userId: string,
  meta: BankSubmissionMeta,
  photos: Blob[],
  opts: { state?: Extract<BankUploadState, 'queued' | 'sending'>; now?: number } = {},
): Promise<BankUploadRow> {
  const stamp = new Date(opts.now ?? Date.now()).toISOString();
  const clientId = meta.clientId ?? crypto.randomUUID();
  const row: BankUploadRow = {
    clientId,
    createdAt: stamp,
    updatedAt: stamp,
    state: opts.state ?? 'queued',
    userId,
    meta: { ...meta, clientId },
    photos,
    attempts: 0,
    nextAttemptAt: stamp,
    lastError: null,
    permanentError: false,
  };
  // add(), not put(): one clientId is one submission, written once.
  await db.bankUploads.add(row);
  return row;
}

function isDue(r: BankUploadRow, now: number, force: boolean): boolean {
  if (r.state === 'sending') return now - Date.parse(r.updatedAt) > SENDING_LEASE_MS;
  if (r.state === 'queued') return true;
  return !r.permanentError && (force || Date.parse(r.nextAttemptAt) <= now);
}

/**
 * Moves this account's due uploads (oldest first) to 'sending' in one transaction, so two senders
 * never post the same one at once. Another account's uploads wait for their author.
 */
export async function claimDueBankUploads(
  db: PhytoDb,
  userId: string,
  opts: { now?: number; force?: boolean } = {},
): Promise<BankUploadRow[]> {
  const now = opts.now ?? Date.now();
  return db.transaction('rw', db.bankUploads, async () => {
    const rows = await db.bankUploads.where('userId').equals(userId).sortBy('createdAt');
    const due = rows.filter((r) => isDue(r, now, opts.force ?? false));
    const stamp = new Date(now).toISOString();
    for (const r of due) {
      r.state = 'sending';
      r.updatedAt = stamp;
    }
    await db.bankUploads.bulkPut(due);
    return due;
  });
}

/** Uploads marked as being sent: almost always none, so a run looks before doing more. */
export function countSendingBankUploads(db: PhytoDb): Promise<number> {
  return db.bankUploads.filter((r) => r.state === 'sending').count();
}

/**
 * Uploads a dead sender left 'sending' (page reloaded or closed mid-upload): one more try, due
 * again at once, as the case outbox's markInterrupted does.
 */
export async function markBankUploadsInterrupted(db: PhytoDb, now = Date.now()): Promise<number> {
  return db.transaction('rw', db.bankUploads, async () => {
    const rows = await db.bankUploads.filter((r) => r.state === 'sending').toArray();
    for (const r of rows) {
      await db.bankUploads.update(r.clientId, {
        ...failedSendUpdate(r.attempts, INTERRUPTED, false, now),
        nextAttemptAt: new Date(now).toISOString(),
      });
    }
    return rows.length;
  });
}

/** The server has it: nothing left to keep on the device. */
export async function forgetBankUpload(db: PhytoDb, clientId: string): Promise<void> {
  await db.bankUploads.delete(clientId);
}

export async function failBankUpload(
  db: PhytoDb,
  clientId: string,
  message: string,
  permanent: boolean,
  now = Date.now(),
): Promise<void> {
  await db.transaction('rw', db.bankUploads, async () => {
    const row = await db.bankUploads.get(clientId);
    if (!row) return; // removed by its author meanwhile
    await db.bankUploads.update(clientId, failedSendUpdate(row.attempts, message, permanent, now));
  });
}

/** Back to the queue without spending an attempt (signed out, or not tried this round). */
export async function releaseBankUpload(
  db: PhytoDb,
  clientId: string,
  reason?: string,
): Promise<void> {
  await db.bankUploads.update(clientId, {
    state: 'queued',
    ...(reason === undefined ? {} : { lastError: reason }),
    updatedAt: new Date().toISOString(),
  });
}

/** « Réessayer »: a refused upload goes again (the role was given back, the class now exists). */
export async function retryBankUpload(db: PhytoDb, clientId: string): Promise<void> {
  const stamp = new Date().toISOString();
  await db.bankUploads.update(clientId, {
    state: 'queued',
    permanentError: false,
    nextAttemptAt: stamp,
    updatedAt: stamp,
  });
}
