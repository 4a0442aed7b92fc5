import type { DetectionBatch, DetectionBatchResult } from '@phytodiag/api/contract';
import { errorFromResponse, forAccount, NOT_THE_API } from '../api/http';
import type { PhytoDb } from '../db/db';
import { readSettings } from '../db/settings';
import type { DetectionRow } from '../db/types';
import { pushConsents } from '../privacy/consents';
import { lockWait, type SenderRunOptions } from '../outbox/queue-sender';
import { withSenderLock } from '../outbox/sender-lock';
import {
  claimDueDetections,
  clearDetections,
  failDetections,
  releaseDetections,
  removeDetections,
} from './detection-repo';

export const CONSENT_REQUIRED = 'CONSENT_REQUIRED';
export const AUTH_REQUIRED = 'AUTH_REQUIRED';

export interface DetectionFlushReport {
  /** Reports the server counted for the first time. */
  accepted: number;
  /** Reports it already had (an earlier answer got lost): not counted twice. */
  duplicates: number;
  /** Refused by the server (4xx on that very report): kept, never retried. */
  rejected: number;
  /** Why sending stopped early, if it did; the rows stay queued for later. */
  stopped: null | 'network' | 'auth' | 'consent' | 'server';
}

type Outcome =
  | { kind: 'ok'; result: DetectionBatchResult }
  | { kind: 'network'; message: string }
  | { kind: 'http'; status: number; code: string; message: string };

async function post(
  rows: DetectionRow[],
  fetchImpl: typeof fetch,
  userId: string | undefined,
): Promise<Outcome> {
  const body: DetectionBatch = { items: rows.map((r) => r.report) };
  let res: Response;
  try {
    res = await fetchImpl('/api/detections', {
      method: 'POST',
      credentials: 'same-origin',
      headers: {
        accept: 'application/json',
        'content-type': 'application/json',
        ...forAccount(userId),
      },
      body: JSON.stringify(body),
    });
  } catch (err) {
    return { kind: 'network', message: err instanceof Error ? err.message : String(err) };
  }
  if (res.ok) {
    const result: unknown = await res.json().catch(() => null);
    // A Wi-Fi login page answers 200 too: only the API's count says the reports arrived.
    if (!isBatchResult(result)) return { kind: 'network', message: NOT_THE_API };
    return { kind: 'ok', result };
  }
  const e = await errorFromResponse(res);
  return { kind: 'http', status: res.status, code: e.code, message: e.message };
}

function isBatchResult(body: unknown): body is DetectionBatchResult {
  if (!body || typeof body !== 'object') return false;
  const r = body as Partial<Record<keyof DetectionBatchResult, unknown>>;
  return typeof r.accepted === 'number' && typeof r.duplicates === 'number';
}

/** A 4xx about the content itself: resending the same bytes cannot succeed. */
function isContentError(status: number): boolean {
  return status >= 400 && status < 500 && ![401, 403, 408, 429].includes(status);
}

/**
 * Sends the queued reports in batches of up to 200, the same way as the case outbox: every
 * report has its clientId (the server ignores a resend), a row leaves the device only once the
 * server has answered 2xx, network errors keep everything with a backoff, and a 403
 * CONSENT_REQUIRED stops sending and keeps the rows (the consent may just not be synced yet).
 */
export async function flushDetections(
  db: PhytoDb,
  opts: SenderRunOptions & { fetchImpl?: typeof fetch; userId?: string } = {},
): Promise<DetectionFlushReport> {
  const report: DetectionFlushReport = { accepted: 0, duplicates: 0, rejected: 0, stopped: null };
  const fetchImpl = opts.fetchImpl ?? fetch.bind(globalThis);
  await withSenderLock(
    'phytodiag-detections',
    async () => {
      const settings = await readSettings(db);
      if (settings.consentsPending) {
        // A choice made offline (given OR withdrawn) reaches the server first.
        try {
          await pushConsents(db, fetchImpl);
        } catch {
          // Still offline or signed out: the POST below (if any) gets the real answer.
        }
      }
      if (!settings.consentShareDetections) {
        // Consent off (maybe withdrawn in another tab): nothing may leave, nothing is kept.
        await clearDetections(db);
        return;
      }
      if ((await db.detections.count()) === 0) return;
      for (;;) {
        const rows = await claimDueDetections(db, {
          ...(opts.now === undefined ? {} : { now: opts.now }),
          force: opts.force ?? false,
          ...(opts.userId ? { userId: opts.userId } : {}),
        });
        if (rows.length === 0) return;
        const ids = rows.map((r) => r.clientId);
        const out = await post(rows, fetchImpl, opts.userId);
        if (out.kind === 'ok') {
          await removeDetections(db, ids);
          report.accepted += out.result.accepted;
          report.duplicates += out.result.duplicates;
          continue;
        }
        if (out.kind === 'network') {
          await failDetections(db, ids, out.message, false, opts.now);
          report.stopped = 'network';
          return;
        }
        if (out.status === 401) {
          await releaseDetections(db, ids, AUTH_REQUIRED);
          report.stopped = 'auth';
          return;
        }
        if (out.status === 403) {
          await releaseDetections(
            db,
            ids,
            out.code === CONSENT_REQUIRED ? CONSENT_REQUIRED : out.code,
          );
          report.stopped = 'consent';
          return;
        }
        if (!isContentError(out.status)) {
          await failDetections(db, ids, out.message, false, opts.now);
          report.stopped = 'server';
          return;
        }
        // One bad report must not hold back the others: resend them one by one.
        if (rows.length === 1) {
          await failDetections(db, ids, out.message, true, opts.now);
          report.rejected += 1;
          continue;
        }
        for (const row of rows) {
          const single = await post([row], fetchImpl, opts.userId);
          if (single.kind === 'ok') {
            await removeDetections(db, [row.clientId]);
            report.accepted += single.result.accepted;
            report.duplicates += single.result.duplicates;
          } else if (single.kind === 'http' && isContentError(single.status)) {
            await failDetections(db, [row.clientId], single.message, true, opts.now);
            report.rejected += 1;
          } else {
            // Anything else (network, auth...): put the rest back and stop this round.
            const rest = rows.slice(rows.indexOf(row)).map((r) => r.clientId);
            await failDetections(db, rest, single.message, false, opts.now);
            report.stopped = single.kind === 'network' ? 'network' : 'server';
            return;
          }
        }
      }
    },
    lockWait(opts),
  );
  return report;
}
