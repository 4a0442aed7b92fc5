import type { BankSubmissionCreated } from '@phytodiag/api/contract';
import { ApiError, errorFromResponse, isNetworkError } from '../api/http';
import type { PhytoDb } from '../db/db';
import type { BankUploadRow } from '../db/types';
import { uploadDeadlineMs } from '../outbox/sender';
import { aloneOnQueue, recoverWhenAlone, withSenderLock } from '../outbox/sender-lock';
import {
  claimDueBankUploads,
  countSendingBankUploads,
  failBankUpload,
  forgetBankUpload,
  markBankUploadsInterrupted,
  releaseBankUpload,
} from './bank-upload-repo';

export const AUTH_REQUIRED = 'AUTH_REQUIRED';
/** Background Sync tag: the service worker sends the queue when the network returns (sw.ts). */
export const BANK_UPLOADS_SYNC = 'phytodiag-bank-uploads';

/** What one try of an upload came to. */
export type BankUploadOutcome =
  | { kind: 'sent'; created: BankSubmissionCreated }
  | { kind: 'unreachable'; message: string }
  | { kind: 'refused'; status: number; code: string; message: string };

/** The server may take it later: it failed, timed out or asked to slow down. */
export function isRetryableStatus(status: number): boolean {
  return status >= 500 || status === 408 || status === 429;
}

/** The multipart body: the meta first, so the server checks it before streaming the photos. */
export function bankUploadForm(row: Pick<BankUploadRow, 'meta' | 'photos'>): FormData {
  const form = new FormData();
  form.append('meta', JSON.stringify(row.meta));
  row.photos.forEach((p, i) => form.append('photo', p, `photo-${i + 1}.jpg`));
  return form;
}

/** The outcome of a call that threw: no answer at all, or the server's refusal. */
export function outcomeOfError(err: unknown): BankUploadOutcome {
  if (err instanceof ApiError && !isNetworkError(err)) {
    return { kind: 'refused', status: err.status, code: err.code, message: err.message };
  }
  return { kind: 'unreachable', message: err instanceof Error ? err.message : String(err) };
}

async function post(row: BankUploadRow, fetchImpl: typeof fetch): Promise<BankUploadOutcome> {
  const bytes = row.photos.reduce((sum, p) => sum + p.size, 0);
  try {
    const res = await fetchImpl('/api/bank/submissions', {
      method: 'POST',
      body: bankUploadForm(row),
      credentials: 'same-origin',
      headers: { accept: 'application/json' },
      signal: AbortSignal.timeout(uploadDeadlineMs(bytes)),
    });
    // 201 made it, 200 the server already had this clientId: either way it is there, once.
    if (res.ok) return { kind: 'sent', created: (await res.json()) as BankSubmissionCreated };
    throw await errorFromResponse(res);
  } catch (err) {
    return outcomeOfError(err);
  }
}

/**
 * Writes what a try came to: gone from the device once sent; kept with a backoff when the server
 * could not be reached or failed; kept and not retried by itself when the server refused this very
 * upload (the author reads why, then retries or removes it); back in the queue when signed out.
 */
export async function settleBankUpload(
  db: PhytoDb,
  clientId: string,
  out: BankUploadOutcome,
  now = Date.now(),
): Promise<void> {
  if (out.kind === 'sent') return forgetBankUpload(db, clientId);
  if (out.kind === 'unreachable') return failBankUpload(db, clientId, out.message, false, now);
  if (out.status === 401) return releaseBankUpload(db, clientId, AUTH_REQUIRED);
  return failBankUpload(db, clientId, out.message, !isRetryableStatus(out.status), now);
}

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

export interface BankFlushReport {
  sent: BankSubmissionCreated[];
  failed: number;
  /** Why the run stopped before the end: the rest stay queued, untried. */
  stopped: null | 'network' | 'auth';
}

/** Sends this account's due uploads, one at a time (up to 20 photos each). */
export async function flushBankUploads(
  db: PhytoDb,
  userId: string,
  opts: { fetchImpl?: typeof fetch; force?: boolean; now?: number } = {},
): Promise<BankFlushReport> {
  const report: BankFlushReport = { sent: [], failed: 0, stopped: null };
  const fetchImpl = opts.fetchImpl ?? fetch.bind(globalThis);
  await withBankUploadLock(
    async () => {
      // A look first: most runs find nothing left 'sending'.
      if ((await countSendingBankUploads(db)) > 0 && (await aloneOnQueue(BANK_LOCK)))
        await markBankUploadsInterrupted(db, opts.now);
      const rows = await claimDueBankUploads(db, userId, {
        force: opts.force ?? false,
        ...(opts.now === undefined ? {} : { now: opts.now }),
      });
      for (const [i, row] of rows.entries()) {
        const out = await post(row, fetchImpl);
        await settleBankUpload(db, row.clientId, out, opts.now);
        if (out.kind === 'sent') {
          report.sent.push(out.created);
          continue;
        }
        const signedOut = out.kind === 'refused' && out.status === 401;
        if (!signedOut) report.failed += 1;
        // Refused for its own content: the next uploads may well go.
        if (out.kind === 'refused' && !signedOut && !isRetryableStatus(out.status)) continue;
        report.stopped = signedOut ? 'auth' : 'network';
        // The rest would meet the same network or the same sign-in: back untried.
        for (const rest of rows.slice(i + 1)) await releaseBankUpload(db, rest.clientId);
        return;
      }
    },
    { wait: false },
  );
  return report;
}
