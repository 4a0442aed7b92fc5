import type { PhytoDb } from '../db/db';
import { readSettings } from '../db/settings';
import { countBackingOffDetections } from '../detections/detection-repo';
import { flushDetections } from '../detections/detection-sender';
import { deliverOutbox } from '../outbox/deliver';
import { countBackingOff } from '../outbox/outbox-repo';

// What the service worker's Background Sync runs. A run that throws asks the browser to fire the
// sync again later (its own backoff: minutes, a few times). It does while rows wait out their
// backoff: the run is not forced (a failing server keeps its backoff), so it left them, and
// without another sync they would wait for the app to be opened. Rows refused for good, or
// waiting for a sign-in, are not a sync's to retry.

/** Background Sync is the last sender when the app is closed: it waits for a run in progress. */
const LAST_SENDER = { wait: true } as const;

export class SyncLater extends Error {}

/** The case outbox. */
export async function syncOutbox(db: PhytoDb, fetchImpl?: typeof fetch): Promise<void> {
  await deliverOutbox(db, { ...LAST_SENDER, ...(fetchImpl ? { fetchImpl } : {}) });
  // A case that failed now (no network, a failing server) is backing off too; one refused for
  // good waits for its author, not for another sync.
  if ((await countBackingOff(db)) > 0) throw new SyncLater('outbox: retry later');
}

/**
 * A queue of the account signed in on this device (the one whose session the cookie holds): sent
 * under it, and never while a sign-out pressed offline is pending. A session that ended (401) is
 * not tried again: the rows wait for a sign-in.
 */
export async function syncAccountQueue(
  db: PhytoDb,
  queue: {
    flush: (
      userId: string,
      opts: { wait: true },
    ) => Promise<{ stopped: 'network' | 'auth' | null }>;
    countBackingOff: (db: PhytoDb, userId: string) => Promise<number>;
  },
): Promise<void> {
  const s = await readSettings(db);
  const userId = s.privateDataOwner;
  if (!userId || s.signOutPending) return;
  const r = await queue.flush(userId, LAST_SENDER);
  if (r.stopped === 'auth') return;
  // A row that failed now (no network, a failing server) is backing off too.
  if ((await queue.countBackingOff(db, userId)) > 0) throw new SyncLater('queue: retry later');
}

/**
 * Surveillance reports (opt-in). Signed out, or the consent not on the server yet: they wait for
 * a sign-in or the consent's sync, not for another Background Sync.
 */
export async function syncDetections(db: PhytoDb, fetchImpl?: typeof fetch): Promise<void> {
  // The signed-in account's own reports only, as the page sends them: a sign-out pressed
  // offline and not yet on the server sends nothing.
  const s = await readSettings(db);
  if (!s.privateDataOwner || s.signOutPending) return;
  const r = await flushDetections(db, {
    ...LAST_SENDER,
    userId: s.privateDataOwner,
    ...(fetchImpl ? { fetchImpl } : {}),
  });
  if (r.stopped === 'auth' || r.stopped === 'consent') return;
  if ((await countBackingOffDetections(db)) > 0) throw new SyncLater('detections: retry later');
}
