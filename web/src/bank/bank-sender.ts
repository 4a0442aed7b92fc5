import type { BankSubmissionCreated } from '@phytodiag/api/contract';
import { errorFromResponse, forAccount } from '../api/http';
import type { PhytoDb } from '../db/db';
import type { BankUploadRow } from '../db/types';
import {
  flushUserQueue,
  outcomeOfError,
  settleQueued,
  type QueueFlushReport,
  type SenderRunOptions,
  type SendOutcome,
} from '../outbox/queue-sender';
import { uploadDeadlineMs } from '../outbox/sender';
import { recoverWhenAlone, withSenderLock } from '../outbox/sender-lock';
import { bankUploadQueue, markBankUploadsInterrupted } from './bank-upload-repo';

export { AUTH_REQUIRED, isRetryableStatus, outcomeOfError } from '../outbox/queue-sender';
/** Background Sync tag: the service worker sends the queue when the network returns (sw.ts). */
export const BANK_UPLOADS_SYNC = 'phytodiag-bank-uploads';

/** What one try of an upload came to. */
export type BankUploadOutcome = SendOutcome<BankSubmissionCreated>;

/** The multipart body: the meta first, so the server checks it before streaming the photos. */
export function bankUploadForm(row: Pick<BankUploadRow, 'meta' | 'photos'>): FormData {
  const form = new FormData();
  form.append('meta', JSON.stringify(row.meta));
  row.photos.forEach((p, i) => form.append('photo', p, `photo-${i + 1}.jpg`));
  return form;
}

async function post(row: BankUploadRow, fetchImpl: typeof fetch): Promise<BankUploadOutcome> {
  const bytes = row.photos.reduce((sum, p) => sum + p.size, 0);
  try {
    const res = await fetchImpl('/api/bank/submissions', {
      method: 'POST',
      body: bankUploadForm(row),
      credentials: 'same-origin',
      headers: { accept: 'application/json', ...forAccount(row.userId) },
      signal: AbortSignal.timeout(uploadDeadlineMs(bytes)),
    });
    // 201 made it, 200 the server already had this clientId: either way it is there, once.
    if (res.ok) return { kind: 'sent', value: (await res.json()) as BankSubmissionCreated };
    throw await errorFromResponse(res);
  } catch (err) {
    return outcomeOfError(err);
  }
}

/** Writes what a try came to (settleQueued): gone once sent, kept otherwise. */
export const settleBankUpload = (
  db: PhytoDb,
  clientId: string,
  out: BankUploadOutcome,
  now = Date.now(),
): Promise<void> => settleQueued(bankUploadQueue, db, clientId, out, now);

const BANK_LOCK = 'phytodiag-bank-uploads';

/** The queue's runs skip while the upload form sends (it waits for the same lock). */
export const withBankUploadLock = <T>(fn: () => Promise<T>, opts: { wait: boolean }) =>
  withSenderLock(BANK_LOCK, fn, opts);

/** Start-up, even offline: an upload whose page died mid-way stops reading « Envoi en cours ». */
export function recoverInterruptedBankUploads(db: PhytoDb): Promise<void> {
  return recoverWhenAlone(BANK_LOCK, async () => {
    await markBankUploadsInterrupted(db);
  });
}

export type BankFlushReport = QueueFlushReport<BankSubmissionCreated>;

/** Sends this account's due uploads, one at a time (up to 20 photos each). */
export function flushBankUploads(
  db: PhytoDb,
  userId: string,
  opts: SenderRunOptions & { fetchImpl?: typeof fetch } = {},
): Promise<BankFlushReport> {
  const fetchImpl = opts.fetchImpl ?? fetch.bind(globalThis);
  return flushUserQueue(
    db,
    userId,
    {
      lock: BANK_LOCK,
      queue: bankUploadQueue,
      send: (row) => post(row, fetchImpl),
      settle: (row, out) => settleBankUpload(db, row.clientId, out, opts.now),
    },
    opts,
  );
}
