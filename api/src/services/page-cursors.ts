// Case lists are paged by keyset, not by offset: a case answered, claimed or sent between two
// pages must not shift the next page. A cursor is the sort key of the last case shown, as
// base64url JSON: opaque to clients, and a forged or damaged one (or one of the other list) is a
// 400 INVALID_CURSOR, never a 500 from a bad cast.
//   - staff queue: [priority bucket, gardener flag, the timestamp the wait is counted from, id];
//   - a client's own cases: [created at, id], newest first.
import { AppError } from '../errors';
import { isValidDate } from '../lib/iso-week';
import type { OwnerKey, QueueKey } from '../repositories/escalation-repository';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** What json_build_array writes for a timestamptz (ISO 8601, microseconds, offset). */
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?([+-]\d{2}(:\d{2})?|Z)$/;

export function encodeCursor(key: QueueKey | OwnerKey): string {
  return Buffer.from(JSON.stringify(key), 'utf8').toString('base64url');
}

function parse(cursor: string): unknown {
  try {
    return JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw new AppError('INVALID_CURSOR');
  }
}

// Date.parse lets 2026-02-30 and year 0000 through; PostgreSQL does not.
const isTimestamp = (v: unknown) =>
  typeof v === 'string' &&
  TIMESTAMP.test(v) &&
  !Number.isNaN(Date.parse(v)) &&
  isValidDate(v.slice(0, 10));
/** The queue's priority bucket (0–2), an SQL int. */
const isBucket = (v: unknown) => Number.isInteger(v) && (v as number) >= 0 && (v as number) <= 9;
const isUuid = (v: unknown) => typeof v === 'string' && UUID.test(v);

export function decodeQueueCursor(cursor: string): QueueKey {
  const key = parse(cursor);
  if (
    !Array.isArray(key) ||
    key.length !== 4 ||
    !isBucket(key[0]) ||
    typeof key[1] !== 'boolean' ||
    !isTimestamp(key[2]) ||
    !isUuid(key[3])
  ) {
    throw new AppError('INVALID_CURSOR');
  }
  return key as QueueKey;
}

export function decodeOwnerCursor(cursor: string): OwnerKey {
  const key = parse(cursor);
  if (!Array.isArray(key) || key.length !== 2 || !isTimestamp(key[0]) || !isUuid(key[1])) {
    throw new AppError('INVALID_CURSOR');
  }
  return key as OwnerKey;
}
