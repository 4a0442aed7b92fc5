import { db } from '../db/db';
import { BANK_UPLOADS_SYNC, flushBankUploads } from '../bank/bank-sender';
import { registerBackgroundSync } from '../pwa/background-sync';
import { accountQueueRunner } from './account-queue-runner';

// Sends the photos queued for the bank at the same moments as the case outbox (start-up, back
// online, the 30 s timer, sign-in), and by Background Sync when the app is closed.

/** Dispatched on `window` when queued uploads reached the bank; `detail` is how many. */
export const BANK_UPLOADS_SENT = 'phytodiag:bank-uploads-sent';

// The author may be on any screen (or away): the announcer tells them it went.
const runner = accountQueueRunner(
  (userId, force) => flushBankUploads(db, userId, { force }),
  (count) => window.dispatchEvent(new CustomEvent(BANK_UPLOADS_SENT, { detail: count })),
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
