import { db } from '../db/db';
import { flushDetections } from '../detections/detection-sender';
import { coalescingRunner } from '../outbox/coalescing-runner';
import { currentUser } from './session';
import { registerBackgroundSync } from '../pwa/background-sync';

// Sends the surveillance reports at the same moments as the case outbox (start-up, back online,
// the 30 s timer, right after a diagnosis) and by Background Sync when the app is closed.
// A diagnosis queued while a run is in flight is folded into one follow-up run, never dropped.
const runner = coalescingRunner(
  async (force) => {
    const user = currentUser();
    if (user) await flushDetections(db, { force, userId: user.id }).catch(() => undefined);
  },
  // Signed-out devices do not report (and have nothing queued: sign-out clears the queue).
  { canRun: () => navigator.onLine && currentUser() !== null },
);

export function kickDetections(force = false): Promise<void> {
  return runner.kick(force);
}

export function registerDetectionsSync(): Promise<void> {
  return registerBackgroundSync('phytodiag-detections');
}

/** A report was just queued: Background Sync sends it even if the page closes; try now too. */
export function sendQueuedReports(force = false): void {
  void registerDetectionsSync();
  void kickDetections(force);
}
