import { ApiError, isNetworkError } from '../api/http';
import type { PhytoDb } from '../db/db';
import { aloneOnQueue, withSenderLock } from './sender-lock';
import type { userQueue, UserQueueRow } from './user-queue';

export const AUTH_REQUIRED = 'AUTH_REQUIRED';

/** What one try of a queued row came to; `value` is what the server made of it. */
export type SendOutcome<S> =
  | { kind: 'sent'; value: S }
  | { kind: 'unreachable'; message: string }
  | { kind: 'refused'; status: number; code: string; message: string };

/** The server may take it later: it failed, timed out or asked to slow down. */
export function isRetryableStatus(status: number): boolean {
  return status >= 500 || status === 408 || status === 429;
}

/** The server refused this very row for good: not an ended session, nothing it may take later. */
export function isRefusedForGood<S>(
  out: SendOutcome<S>,
): out is Extract<SendOutcome<S>, { kind: 'refused' }> {
  return out.kind === 'refused' && out.status !== 401 && !isRetryableStatus(out.status);
}

/** The outcome of a call that threw: no answer at all, or the server's refusal. */
export function outcomeOfError(err: unknown): SendOutcome<never> {
  if (err instanceof ApiError && !isNetworkError(err)) {
    return { kind: 'refused', status: err.status, code: err.code, message: err.message };
  }
  return { kind: 'unreachable', message: err instanceof Error ? err.message : String(err) };
}

type Queue<R extends UserQueueRow> = ReturnType<typeof userQueue<R>>;

/** How a run of a queue goes: every sender of every queue takes these. */
export interface SenderRunOptions {
  /**
   * Rows in their backoff go too: the network has just come back, or the user asked. A forced run
   * never skips: it runs after the sender in progress (lockWait), whose run may leave those rows
   * in their backoff.
   */
  force?: boolean;
  now?: number;
  /**
   * Another sender holds the queue's lock: run after it instead of skipping. The service worker's
   * Background Sync does, being the last sender when the app is closed: the run it would skip may
   * be a page's that dies with the page (closed as the signal returns), leaving rows unsent until
   * the app is opened again.
   */
  wait?: boolean;
}

/**
 * Whether a run waits for the queue's lock rather than skip. A forced run does: when the network
 * comes back, the service worker's Background Sync (not forced, so it leaves rows in their
 * backoff) often takes the lock first. The page's forced run, skipped, would leave those rows to
 * the next timer on a working network.
 */
export function lockWait(opts: SenderRunOptions): { wait: boolean } {
  return { wait: opts.wait ?? opts.force ?? false };
}

/**
 * Writes what a try came to: gone from the device once sent; kept with a backoff when the server
 * could not be reached or failed; kept and not retried by itself when the server refused this very
 * row (its author reads why, then retries or removes it); back in the queue when signed out.
 */
export async function settleQueued<R extends UserQueueRow>(
  queue: Queue<R>,
  db: PhytoDb,
  clientId: string,
  out: SendOutcome<unknown>,
  now = Date.now(),
): Promise<void> {
  if (out.kind === 'sent') return queue.forget(db, clientId);
  if (out.kind === 'unreachable') return queue.fail(db, clientId, out.message, false, now);
  if (out.status === 401) return queue.release(db, clientId, AUTH_REQUIRED);
  return queue.fail(db, clientId, out.message, !isRetryableStatus(out.status), now);
}

export interface QueueFlushReport<S> {
  sent: S[];
  failed: number;
  /** Why the run stopped before the end: the rest stay queued, untried. */
  stopped: null | 'network' | 'auth';
}

/**
 * Sends this account's due rows of one queue, one at a time, under the queue's lock: a run skips
 * while another sender holds it, or, forced or with `wait`, runs after it (lockWait). `settle`
 * writes each outcome (settleQueued, or more).
 */
export async function flushUserQueue<R extends UserQueueRow, S>(
  db: PhytoDb,
  userId: string,
  q: {
    lock: string;
    queue: Queue<R>;
    send: (row: R) => Promise<SendOutcome<S>>;
    settle: (row: R, out: SendOutcome<S>) => Promise<void>;
  },
  opts: SenderRunOptions = {},
): Promise<QueueFlushReport<S>> {
  const report: QueueFlushReport<S> = { sent: [], failed: 0, stopped: null };
  await withSenderLock(
    q.lock,
    async () => {
      // A look first: most runs find nothing left 'sending' by a page that died.
      if ((await q.queue.countSending(db)) > 0 && (await aloneOnQueue(q.lock)))
        await q.queue.markInterrupted(db, opts.now);
      const rows = await q.queue.claimDue(db, userId, {
        force: opts.force ?? false,
        ...(opts.now === undefined ? {} : { now: opts.now }),
      });
      for (const [i, row] of rows.entries()) {
        const out = await q.send(row);
        await q.settle(row, out);
        if (out.kind === 'sent') {
          report.sent.push(out.value);
          continue;
        }
        const signedOut = out.kind === 'refused' && out.status === 401;
        if (!signedOut) report.failed += 1;
        // Refused for its own content: the next rows may well go.
        if (isRefusedForGood(out)) continue;
        report.stopped = signedOut ? 'auth' : 'network';
        // The rest would meet the same network or the same sign-in: back untried.
        for (const rest of rows.slice(i + 1)) await q.queue.release(db, rest.clientId);
        return;
      }
    },
    lockWait(opts),
  );
  return report;
}

/**
 * A form's own row (kept first as 'sending'): one try now, after any run of its queue in progress.
 * Waiting for the lock, the try always runs: the lock is never skipped here.
 */
export async function sendInItsTurn<S>(
  lock: string,
  send: () => Promise<SendOutcome<S>>,
): Promise<SendOutcome<S>> {
  return (
    (await withSenderLock(lock, send, { wait: true })) ?? { kind: 'unreachable', message: 'lock' }
  );
}
