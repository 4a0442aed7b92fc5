import type { BankSubmissionMeta } from '@phytodiag/api/contract';
import type { PhytoDb } from '../db/db';
import type { BankUploadRow, BankUploadState } from '../db/types';
import { freshQueueFields, userQueue } from '../outbox/user-queue';

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
  const clientId = meta.clientId ?? crypto.randomUUID();
  const row: BankUploadRow = {
    clientId,
    ...freshQueueFields(userId, opts.state ?? 'queued', opts.now ?? Date.now()),
    meta: { ...meta, clientId },
    photos,
  };
  // add(), not put(): one clientId is one submission, written once.
  await db.bankUploads.add(row);
  return row;
}

export const bankUploadQueue = userQueue((db) => db.bankUploads);

/** This account's due uploads, oldest first, now 'sending' (one sender at a time). */
export const claimDueBankUploads = bankUploadQueue.claimDue;
export const countSendingBankUploads = bankUploadQueue.countSending;
/** Uploads a dead sender left 'sending': one more try, due again at once. */
export const markBankUploadsInterrupted = bankUploadQueue.markInterrupted;
/** The server has it: nothing left to keep on the device. */
export const forgetBankUpload = bankUploadQueue.forget;
export const failBankUpload = bankUploadQueue.fail;
/** Back to the queue without spending an attempt (signed out, or not tried this round). */
export const releaseBankUpload = bankUploadQueue.release;
/** « Réessayer »: a refused upload goes again (the role was given back, the class now exists). */
export const retryBankUpload = bankUploadQueue.retry;
