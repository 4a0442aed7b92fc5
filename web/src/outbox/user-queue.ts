import type { EntityTable } from 'dexie';
import type { PhytoDb } from '../db/db';
import { failedSendUpdate, isBackingOff } from './backoff';
import { INTERRUPTED, SENDING_LEASE_MS } from './outbox-repo';

/** What a queued row of one account is, whatever it carries (bank photos, a thread message). */
export interface UserQueueRow {
  clientId: string;
  createdAt: string;
  updatedAt: string;
  state: 'queued' | 'sending' | 'failed';
  /** Its author: sent only under that account, as cases are. */
  userId: string;
  attempts: number;
  nextAttemptAt: string;
  lastError: string | null;
  /** The server refused this very row (4xx): kept for its author, retried only on request. */
  permanentError: boolean;
}

function isDue(r: UserQueueRow, now: number, force: boolean): boolean {
  if (r.state === 'sending') return now - Date.parse(r.updatedAt) > SENDING_LEASE_MS;
  if (r.state === 'queued') return true;
  return !r.permanentError && (force || Date.parse(r.nextAttemptAt) <= now);
}

/** The fields of a row kept now, before anything is sent. */
export function freshQueueFields(
  userId: string,
  state: 'queued' | 'sending',
  now: number,
): Omit<UserQueueRow, 'clientId'> {
  const stamp = new Date(now).toISOString();
  return {
    createdAt: stamp,
    updatedAt: stamp,
    state,
    userId,
    attempts: 0,
    nextAttemptAt: stamp,
    lastError: null,
    permanentError: false,
  };
}

/**
 * The life of rows an account queues on the device until the server has them, for one table:
 * claimed by one sender at a time, backed off when the network fails, kept for their author when
 * refused, given back when a sender died. The case outbox has its own (it predates accounts).
 */
export function userQueue<R extends UserQueueRow>(
  tableOf: (db: PhytoDb) => EntityTable<R, 'clientId'>,
) {
  // By index rather than by key: a generic row's key type is not `string` to the compiler.
  const one = (db: PhytoDb, clientId: string) => tableOf(db).where('clientId').equals(clientId);
  const patch = (db: PhytoDb, clientId: string, fields: Partial<UserQueueRow>) =>
    one(db, clientId).modify((row) => {
      Object.assign(row, fields);
    });

  return {
    /**
     * Moves this account's due rows (oldest first) to 'sending' in one transaction, so two senders
     * never post the same one at once. Another account's rows wait for their author.
     */
    async claimDue(
      db: PhytoDb,
      userId: string,
      opts: { now?: number; force?: boolean } = {},
    ): Promise<R[]> {
      const now = opts.now ?? Date.now();
      const table = tableOf(db);
      return db.transaction('rw', table, async () => {
        const rows = await table.where('userId').equals(userId).sortBy('createdAt');
        const due = rows.filter((r) => isDue(r, now, opts.force ?? false));
        const stamp = new Date(now).toISOString();
        for (const r of due) Object.assign(r, { state: 'sending', updatedAt: stamp });
        await table.bulkPut(due);
        return due;
      });
    },

    /**
     * This account's rows waiting out a backoff after a failed try: what a run that is not forced
     * leaves. Background Sync asks the browser to fire again while there are some (sync-runs.ts).
     */
    countBackingOff(db: PhytoDb, userId: string, now = Date.now()): Promise<number> {
      return tableOf(db)
        .where('userId')
        .equals(userId)
        .filter((r) => isBackingOff(r, now))
        .count();
    },

    /** Rows marked as being sent: almost always none, so a run looks before doing more. */
    countSending(db: PhytoDb): Promise<number> {
      return tableOf(db)
        .filter((r) => r.state === 'sending')
        .count();
    },

    /**
     * Rows a dead sender left 'sending' (page reloaded or closed mid-upload): one more try, due
     * again at once, as the case outbox's markInterrupted does.
     */
    async markInterrupted(db: PhytoDb, now = Date.now()): Promise<number> {
      const table = tableOf(db);
      return db.transaction('rw', table, async () => {
        const rows = await table.filter((r) => r.state === 'sending').toArray();
        for (const r of rows) {
          await patch(db, r.clientId, {
            ...failedSendUpdate(r.attempts, INTERRUPTED, false, now),
            nextAttemptAt: new Date(now).toISOString(),
          });
        }
        return rows.length;
      });
    },

    /** The server has it: nothing left to keep on the device. */
    async forget(db: PhytoDb, clientId: string): Promise<void> {
      await one(db, clientId).delete();
    },

    async fail(
      db: PhytoDb,
      clientId: string,
      message: string,
      permanent: boolean,
      now = Date.now(),
    ): Promise<void> {
      const table = tableOf(db);
      await db.transaction('rw', table, async () => {
        const row = await one(db, clientId).first();
        if (!row) return; // removed by its author meanwhile
        await patch(db, clientId, failedSendUpdate(row.attempts, message, permanent, now));
      });
    },

    /** Back to the queue without spending an attempt (signed out, or not tried this round). */
    async release(db: PhytoDb, clientId: string, reason?: string): Promise<void> {
      await patch(db, clientId, {
        state: 'queued',
        ...(reason === undefined ? {} : { lastError: reason }),
        updatedAt: new Date().toISOString(),
      });
    },

    /**
     * « Supprimer »: the author takes back a row not sent. Not while it is being sent (it may
     * already be on the server): false then, and the row stays.
     */
    async discard(db: PhytoDb, clientId: string): Promise<boolean> {
      const table = tableOf(db);
      return db.transaction('rw', table, async () => {
        const row = await one(db, clientId).first();
        if (!row || row.state === 'sending') return false;
        await one(db, clientId).delete();
        return true;
      });
    },

    /** « Réessayer »: a refused row goes again (the role was given back, the class now exists). */
    async retry(db: PhytoDb, clientId: string): Promise<void> {
      const stamp = new Date().toISOString();
      await patch(db, clientId, {
        state: 'queued',
        permanentError: false,
        nextAttemptAt: stamp,
        updatedAt: stamp,
      });
    },
  };
}
