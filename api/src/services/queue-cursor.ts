// The staff queue is paged by keyset, not by offset: a case answered or claimed between two pages
// must not shift the next page. A cursor is the sort key of the last case shown (priority bucket,
// gardener flag, the timestamp the wait is counted from, id), as base64url JSON: opaque to
// clients, and a forged or damaged one is a 400 INVALID_CURSOR, never a 500 from a bad cast.
import { AppError } from '../errors';
import type { QueueKey } from '../repositories/escalation-repository';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** What json_build_array writes for a timestamptz (ISO 8601, microseconds, offset). */
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?([+-]\d{2}(:\d{2})?|Z)$/;

export function encodeCursor(key: QueueKey): string {
  return Buffer.from(JSON.stringify(key), 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string): QueueKey {
  let key: unknown;
  try {
    key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw new AppError('INVALID_CURSOR');
  }
  if (
    !Array.isArray(key) ||
    key.length !== 4 ||
    !Number.isInteger(key[0]) ||
    typeof key[1] !== 'boolean' ||
    typeof key[2] !== 'string' ||
    !TIMESTAMP.test(key[2]) ||
    Number.isNaN(Date.parse(key[2])) ||
    typeof key[3] !== 'string' ||
    !UUID.test(key[3])
  ) {
    throw new AppError('INVALID_CURSOR');
  }
  return key as QueueKey;
}
