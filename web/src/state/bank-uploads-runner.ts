import { db } from '../db/db';
import { BANK_UPLOADS_SYNC, flushBankUploads } from '../bank/bank-sender';
import { registerBackgroundSync } from '../pwa/background-sync';
import { revalidateSession } from '../privacy/local-data';
import { coalescingRunner } from '../outbox/coalescing-runner';
import { currentUser } from './session';

// Sends the photos queued for the bank at the same moments as the case outbox (start-up, back
// online, the 30 s timer, sign-in), and by Background Sync when the app is closed.

/** Dispatched on `window` when queued uploads reached the bank; `detail` is how many. */
export const BANK_UPLOADS_SENT = 'phytodiag:bank-uploads-sent';

const runner = coalescingRunner(
  async (force) => {
    const user = currentUser();
    if (!user) return;
    const report = await flushBankUploads(db, user.id, { force }).catch(() => null);
    // A 401: the session ended while the app was open. Settled as the case outbox does, so the
    // 30 s timer does not upload the same photos to be refused again and again.
    if (report?.stopped === 'auth') await revalidateSession();
    // The author may be on any screen (or away): the announcer tells them it went.
    if (report && report.sent.length > 0) {
      window.dispatchEvent(new CustomEvent(BANK_UPLOADS_SENT, { detail: report.sent.length }));
    }
  },
  { canRun: () => navigator.onLine && currentUser() !== null },
);

export function kickBankUploads(force = false): Promise<void> {
  return runner.kick(force);
}

/**
 * An upload was kept on the device: Background Sync (Chromium) sends it when the network returns
 * even if the app is closed by then; elsewhere the page's own triggers do, the app open.
 */
export function sendKeptUploadsLater(): void {
  void registerBackgroundSync(BANK_UPLOADS_SYNC);
}
