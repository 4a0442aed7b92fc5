import type { PhytoDb } from '../db/db';
import type { OutboxRow } from '../db/types';
import { errorFromResponse } from '../api/http';
import { isCaseBody, saveMyCases } from './my-cases';
import {
  claimDue,
  markFailed,
  markSent,
  markWaiting,
  releaseClaim,
  SENDING_LEASE_MS,
} from './outbox-repo';

/**
 * A stalled upload (signal lost in the field, the connection never reset) is abandoned after this
 * and retried later; otherwise it would hold the outbox lock forever. Under the sending lease, so
 * no other sender takes the case over while this one may still be uploading it.
 */
export const UPLOAD_TIMEOUT_MS = SENDING_LEASE_MS - 30_000;

export interface SendReport {
  sent: number;
  failed: number;
  waitingForSignIn: number;
}

export const AUTH_REQUIRED = 'AUTH_REQUIRED';

function formFor(row: OutboxRow): FormData {
  const form = new FormData();
  // The case JSON goes first so the server can validate it before streaming the photos.
  form.append('case', JSON.stringify(row.case));
  row.photos.forEach((blob, i) => {
    const ext = blob.type === 'image/png' ? 'png' : blob.type === 'image/webp' ? 'webp' : 'jpg';
    form.append('photo', blob, `photo-${i + 1}.${ext}`);
  });
  return form;
}

function serverIdOf(body: unknown): string {
  if (body && typeof body === 'object') {
    const b = body as { id?: unknown; escalation?: { id?: unknown } };
    if (typeof b.id === 'string' || typeof b.id === 'number') return String(b.id);
    if (
      b.escalation &&
      (typeof b.escalation.id === 'string' || typeof b.escalation.id === 'number')
    )
      return String(b.escalation.id);
  }
  return '';
}

/** 'unreachable': no answer at all (offline, server down, connection cut): a failure, too. */
type Outcome = keyof SendReport | 'unreachable';

async function sendOne(
  db: PhytoDb,
  row: OutboxRow,
  fetchImpl: typeof fetch,
  timeoutMs: number,
): Promise<Outcome> {
  let res: Response;
  try {
    res = await fetchImpl('/api/escalations', {
      method: 'POST',
      body: formFor(row),
      credentials: 'same-origin',
      headers: { accept: 'application/json' },
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (err) {
    await markFailed(db, row.clientId, err instanceof Error ? err.message : String(err), false);
    return 'unreachable';
  }
  // 201 = created, 200 = the server already had this clientId: both mean "it is there, once".
  if (res.status === 201 || res.status === 200) {
    const body: unknown = await res.json().catch(() => null);
    await markSent(db, row.clientId, serverIdOf(body));
    // The case as the server holds it, on the device at once: "Mes demandes" lists it offline,
    // whatever the size of the list's newest page. A failed write here loses nothing: the case
    // is sent, and the next list refresh brings it.
    if (isCaseBody(body)) await saveMyCases(db, [body]).catch(() => undefined);
    return 'sent';
  }
  const apiErr = await errorFromResponse(res);
  if (res.status === 401) {
    await markWaiting(db, row.clientId, AUTH_REQUIRED);
    return 'waitingForSignIn';
  }
  // Other 4xx: the server refused this content; retrying the same bytes cannot help.
  const permanent =
    res.status >= 400 && res.status < 500 && res.status !== 408 && res.status !== 429;
  const duplicateOf =
    apiErr.code === 'DUPLICATE_CASE'
      ? (apiErr.details.find((d) => d.path === 'existingCaseId')?.message ?? null)
      : null;
  await markFailed(db, row.clientId, apiErr.message, permanent, Date.now(), duplicateOf);
  return 'failed';
}

async function withLock<T>(fn: () => Promise<T>): Promise<T | null> {
  const locks = (globalThis.navigator as Navigator | undefined)?.locks;
  if (!locks) return fn();
  // ifAvailable: if another tab or the service worker is already sending, let it finish.
  return locks.request('phytodiag-outbox', { ifAvailable: true }, async (lock) =>
    lock ? fn() : null,
  );
}

/** Send every due case once. Safe to call from several places at once (lock + claim). */
export async function flushOutbox(
  db: PhytoDb,
  opts: { fetchImpl?: typeof fetch; force?: boolean; timeoutMs?: number } = {},
): Promise<SendReport> {
  const report: SendReport = { sent: 0, failed: 0, waitingForSignIn: 0 };
  const timeoutMs = opts.timeoutMs ?? UPLOAD_TIMEOUT_MS;
  const fetchImpl = opts.fetchImpl ?? fetch.bind(globalThis);
  await withLock(async () => {
    const rows = await claimDue(db, Date.now(), opts.force ?? false);
    for (const row of rows) {
      const outcome = await sendOne(db, row, fetchImpl, timeoutMs);
      report[outcome === 'unreachable' ? 'failed' : outcome] += 1;
      if (outcome === 'unreachable') {
        // The next rows would fail the same way: each would spend an attempt and back off (up to
        // 30 min) for a network blip. They go back to the queue untried for the next run.
        for (const rest of rows.slice(rows.indexOf(row) + 1)) await releaseClaim(db, rest.clientId);
        break;
      }
      if (outcome === 'waitingForSignIn') {
        // Same answer for the rest: put them back without spending attempts.
        for (const rest of rows.slice(rows.indexOf(row) + 1))
          await markWaiting(db, rest.clientId, AUTH_REQUIRED);
        report.waitingForSignIn += rows.length - rows.indexOf(row) - 1;
        break;
      }
    }
  });
  return report;
}
