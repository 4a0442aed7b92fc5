import type { Table } from 'dexie';

/** Exponential backoff with a ceiling: 15 s, 30 s, 1 min ... at most 30 min between tries. */
export function backoffMs(attempts: number): number {
  return Math.min(15_000 * 2 ** Math.max(0, attempts - 1), 30 * 60_000);
}

type Tried = { state: string; permanentError: boolean; nextAttemptAt: string };

/** Failed, not for good, and not due yet: a try later will send it (cases and queues alike). */
export function isBackingOff(r: Tried, now: number): boolean {
  return r.state === 'failed' && !r.permanentError && Date.parse(r.nextAttemptAt) > now;
}

/**
 * Rows of a table indexed by `state` (the case outbox, the reports) waiting out a backoff;
 * `mine`, those of them a sender may claim now.
 */
export function countBackingOffIn<R extends Tried, I>(
  table: Table<R, string, I>,
  now: number,
  mine: (row: R) => boolean = () => true,
) {
  return table
    .where('state')
    .equals('failed')
    .filter((r) => isBackingOff(r, now) && mine(r))
    .count();
}

/**
 * The fields a failed send writes, for cases and detection reports alike: one more attempt, the
 * reason, and when to try again (never, in effect, for a permanent refusal the user must fix).
 */
export function failedSendUpdate(
  previousAttempts: number,
  message: string,
  permanent: boolean,
  now: number,
): {
  state: 'failed';
  attempts: number;
  lastError: string;
  permanentError: boolean;
  nextAttemptAt: string;
  updatedAt: string;
} {
  const attempts = previousAttempts + 1;
  return {
    state: 'failed',
    attempts,
    lastError: message,
    permanentError: permanent,
    nextAttemptAt: new Date(now + backoffMs(attempts)).toISOString(),
    updatedAt: new Date(now).toISOString(),
  };
}
