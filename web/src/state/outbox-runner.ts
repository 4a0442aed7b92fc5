import { db } from '../db/db';
import { coalescingRunner } from '../outbox/coalescing-runner';
import { deliverOutbox } from '../outbox/deliver';
import { recoverInterruptedCases } from '../outbox/sender';
import { recoverInterruptedBankUploads } from '../bank/bank-sender';
import { kickBankUploads } from './bank-uploads-runner';
import { recoverInterruptedMessages } from '../outbox/message-sender';
import { kickMessages } from './messages-runner';
import { recoverInterruptedRatings } from '../outbox/rating-sender';
import { kickRatings } from './ratings-runner';
import { kickDetections } from './detections-runner';
import { registerBackgroundSync } from '../pwa/background-sync';
import { revalidateSession } from '../privacy/local-data';
import { currentUser } from './session';

// Sends the outbox: on app start, when the network comes back, after a case is queued, and on a
// slow timer for backoff retries. Background Sync (sw.ts) covers the case where the app is closed.
const busyListeners = new Set<(busy: boolean) => void>();
// A kick during a run (the network came back, a case was queued) is followed up, never dropped.
const runner = coalescingRunner(
  async (force) => {
    const report = await deliverOutbox(db, { force });
    // A 401: the session ended while the app was open (expired, signed out elsewhere). Settle it
    // as at start-up, so this runner stops uploading the same photos to be refused every 30 s
    // and the screens say « signed out » instead of « Connecté ».
    if (report.waitingForSignIn > 0) await revalidateSession();
  },
  {
    // Signed out, the API can only answer 401: cases wait, and signing in kicks the outbox.
    canRun: () => navigator.onLine && currentUser() !== null,
    onBusy: (busy) => busyListeners.forEach((l) => l(busy)),
  },
);

export function onOutboxBusy(cb: (busy: boolean) => void): () => void {
  busyListeners.add(cb);
  return () => busyListeners.delete(cb);
}

export function isOutboxBusy(): boolean {
  return runner.busy;
}

export function kickOutbox(force = false): Promise<void> {
  return runner.kick(force);
}

/**
 * Background Sync sends queued cases while the app is closed. The service worker cannot see the
 * page's session, so it would upload signed out too (and be refused with a 401): it is asked for
 * only when someone is signed in. A case written signed out waits, and signing in kicks the
 * outbox.
 */
export function registerOutboxSync(): Promise<void> {
  if (!currentUser()) return Promise.resolve();
  return registerBackgroundSync('phytodiag-outbox');
}

export function startOutboxRunner(): void {
  // Opening the app is a moment to try: a case that failed in the field does not wait out its
  // backoff (up to 30 min) once the phone is on a good network. First, whatever the network,
  // what a page closed mid-upload left « Envoi en cours » goes back to its queue; then the run.
  // Not both at once: the run waiting for the lock would keep the recovery from finding itself
  // alone on the queue (recoverWhenAlone), and the rows would stay « Envoi en cours ».
  void recoverInterruptedCases(db)
    .catch(() => undefined)
    .then(() => kickOutbox(true));
  void kickDetections();
  void recoverInterruptedBankUploads(db)
    .catch(() => undefined)
    .then(() => kickBankUploads(true));
  void recoverInterruptedMessages(db)
    .catch(() => undefined)
    .then(() => kickMessages(true));
  void recoverInterruptedRatings(db)
    .catch(() => undefined)
    .then(() => kickRatings(true));
  window.addEventListener('online', () => {
    void kickOutbox(true);
    void kickDetections(true);
    void kickBankUploads(true);
    void kickMessages(true);
    void kickRatings(true);
  });
  window.setInterval(() => {
    void kickOutbox();
    void kickDetections();
    void kickBankUploads();
    void kickMessages();
    void kickRatings();
  }, 30_000);
}
