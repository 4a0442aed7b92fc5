import type { PhytoDb } from '../db/db';
import type { OutboxRow } from '../db/types';
import { errorFromResponse, forAccount, NOT_THE_API } from '../api/http';
import { isCaseBody, saveMyCases } from './my-cases';
import {
  claimDue,
  countSending,
  markFailed,
  markInterrupted,
  markSent,
  markWaiting,
  releaseClaim,
  renewLeases,
  SENDING_LEASE_MS,
} from './outbox-repo';
import { lockWait, type SenderRunOptions } from './queue-sender';
import { aloneOnQueue, recoverWhenAlone, withSenderLock } from './sender-lock';

const OUTBOX_LOCK = 'phytodiag-outbox';

/** Start-up, even offline: a case whose page died mid-upload stops reading « Envoi en cours ». */
export function recoverInterruptedCases(db: PhytoDb): Promise<void> {
  return recoverWhenAlone(OUTBOX_LOCK, async () => {
    await markInterrupted(db);
  });
}

/** Under the lock, before a run claims: the same, after a look, since most runs find none. */
async function recoverOrphans(db: PhytoDb): Promise<void> {
  if ((await countSending(db)) > 0 && (await aloneOnQueue(OUTBOX_LOCK))) await markInterrupted(db);
}

/**
 * A stalled upload (signal lost in the field, the connection never reset) is abandoned after its
 * deadline and retried later; otherwise it would hold the outbox lock forever. The deadline grows
 * with the request: five photos (≈ 5 MB) need about four minutes at 20 kB/s, the uplink of one bar
 * in a field, and a fixed 90 s made such a request fail at every try. fetch() cannot see upload
 * progress, so this is a deadline per request, not a stall timer.
 */
export const UPLOAD_TIMEOUT_MS = 90_000;
/** The slowest uplink a request must still get through on (bytes a second). */
export const SLOWEST_UPLINK_BYTES_PER_S = 20_000;
/** How often an upload in progress renews the lease on its run's rows (under SENDING_LEASE_MS). */
const LEASE_RENEW_MS = SENDING_LEASE_MS / 4;

/** The deadline of one request: at least UPLOAD_TIMEOUT_MS, longer for its bytes on a slow link. */
export function uploadDeadlineMs(bytes: number): number {
  return Math.max(UPLOAD_TIMEOUT_MS, Math.ceil((bytes / SLOWEST_UPLINK_BYTES_PER_S) * 1000));
}

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

/** 'unreachable': no answer at all (offline, server down, connection cut): a failure, too. */
type Outcome = keyof SendReport | 'unreachable';

async function sendOne(
  db: PhytoDb,
  row: OutboxRow,
  fetchImpl: typeof fetch,
  timing: { timeoutMs?: number; leaseRenewMs: number },
  claimed: string[],
): Promise<Outcome> {
  let res: Response;
  const bytes = row.photos.reduce((sum, p) => sum + p.size, 0);
  const lease = setInterval(
    () => void renewLeases(db, claimed).catch(() => undefined),
    timing.leaseRenewMs,
  );
  const sentAt = Date.now();
  try {
    res = await fetchImpl('/api/escalations', {
      method: 'POST',
      body: formFor(row),
      credentials: 'same-origin',
      headers: { accept: 'application/json', ...forAccount(row.ownerId) },
      signal: AbortSignal.timeout(timing.timeoutMs ?? uploadDeadlineMs(bytes)),
    });
  } catch (err) {
    await markFailed(db, row.clientId, err instanceof Error ? err.message : String(err), false);
    return 'unreachable';
  } finally {
    clearInterval(lease);
  }
  // 201 = created, 200 = the server already had this clientId: both mean "it is there, once".
  if (res.status === 201 || res.status === 200) {
    const body: unknown = await res.json().catch(() => null);
    // Only the API's own answer, the case, says so. A Wi-Fi login page or a carrier's page
    // answers 200 too (HTML, often after a redirect): the case never left, and marking it sent
    // would drop its photos. Kept, and tried again like after a network failure.
    if (!isCaseBody(body)) {
      await markFailed(db, row.clientId, NOT_THE_API, false);
      return 'unreachable';
    }
    await markSent(db, row.clientId, body.id);
    // The case as the server holds it, on the device at once: "Mes demandes" lists it offline,
    // whatever the size of the list's newest page. A failed write here loses nothing: the case
    // is sent, and the next list refresh brings it.
    await saveMyCases(db, [body], sentAt).catch(() => undefined);
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

/** Send every due case once. Safe to call from several places at once (lock + claim). */
export async function flushOutbox(
  db: PhytoDb,
  opts: Omit<SenderRunOptions, 'now'> & {
    fetchImpl?: typeof fetch;
    /** Tests: a fixed deadline and lease renewal period instead of the real ones. */
    timeoutMs?: number;
    leaseRenewMs?: number;
  } = {},
): Promise<SendReport> {
  const report: SendReport = { sent: 0, failed: 0, waitingForSignIn: 0 };
  const fetchImpl = opts.fetchImpl ?? fetch.bind(globalThis);
  await withSenderLock(
    OUTBOX_LOCK,
    async () => {
      await recoverOrphans(db);
      const rows = await claimDue(db, Date.now(), opts.force ?? false);
      const claimed = rows.map((r) => r.clientId);
      for (const row of rows) {
        const timing = {
          ...(opts.timeoutMs === undefined ? {} : { timeoutMs: opts.timeoutMs }),
          leaseRenewMs: opts.leaseRenewMs ?? LEASE_RENEW_MS,
        };
        const outcome = await sendOne(db, row, fetchImpl, timing, claimed);
        report[outcome === 'unreachable' ? 'failed' : outcome] += 1;
        if (outcome === 'unreachable') {
          // The next rows would fail the same way: each would spend an attempt and back off (up to
          // 30 min) for a network blip. They go back to the queue untried for the next run.
          for (const rest of rows.slice(rows.indexOf(row) + 1))
            await releaseClaim(db, rest.clientId);
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
    },
    lockWait(opts),
  );
  return report;
}
