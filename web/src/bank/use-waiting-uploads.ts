import { useLiveQuery } from 'dexie-react-hooks';
import { db } from '../db/db';

/**
 * How many bank uploads of this account wait on the device (undefined while IndexedDB is read,
 * 0 without an account): the screens that say so, or refresh when one leaves, share this read.
 */
export function useWaitingUploads(userId: string | null): number | undefined {
  return useLiveQuery(
    () => (userId ? db.bankUploads.where('userId').equals(userId).count() : 0),
    [userId],
  );
}
