import type { PhytoDb } from '../db/db';
import type { BankUploadRow } from '../db/types';
import { uploadSubmission } from '../lab/lab-api';
import { forgetBankUpload } from './bank-upload-repo';
import { isRefusedForGood } from '../outbox/queue-sender';
import {
  outcomeOfError,
  settleBankUpload,
  withBankUploadLock,
  type BankUploadOutcome,
} from './bank-sender';

// Apart from bank-sender.ts, which the service worker also runs: this one needs XHR (progress).

/**
 * The upload form's « Envoyer »: the row was kept first (state 'sending'), then goes now with
 * per-photo progress. Sent: gone from the device. No network or a failing server: it stays queued
 * and goes by itself later. Refused for good (a field to fix): gone from the device, since the
 * form still holds everything and shows why. Signed out meanwhile: it waits on the device for the
 * sign-in (leaving for the sign-in screen leaves the form and what it held).
 */
export async function sendBankUploadNow(
  db: PhytoDb,
  row: BankUploadRow,
  onProgress: (perPhoto: number[]) => void,
): Promise<BankUploadOutcome> {
  const out = await withBankUploadLock(
    () =>
      uploadSubmission(row.meta, row.photos, onProgress, row.userId).then(
        (value): BankUploadOutcome => ({ kind: 'sent', value }),
        outcomeOfError,
      ),
    { wait: true },
  );
  // Waiting for the lock, the callback always runs: null (lock skipped) cannot come back.
  const outcome: BankUploadOutcome = out ?? { kind: 'unreachable', message: 'lock' };
  if (isRefusedForGood(outcome)) {
    await forgetBankUpload(db, row.clientId);
  } else {
    await settleBankUpload(db, row.clientId, outcome);
  }
  return outcome;
}
