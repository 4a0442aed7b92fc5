/** What the update flow needs to know about the outbox (outbox-runner in the app, a fake in tests). */
export interface OutboxActivity {
  isBusy(): boolean;
  onBusy(cb: (busy: boolean) => void): () => void;
}

/**
 * Runs `act` (switch to the new service worker, reload the page) only while the outbox is NOT
 * sending: at once when idle, otherwise when the current send ends. A reload mid-upload would cut
 * it; the clientId makes the resend safe, but the user would see a needless failure. Returns
 * whether it had to wait.
 */
export function whenOutboxIdle(outbox: OutboxActivity, act: () => void): boolean {
  if (!outbox.isBusy()) {
    act();
    return false;
  }
  const off = outbox.onBusy((busy) => {
    if (busy) return;
    off();
    // Another send may have started in between (a retry timer): wait for that one too.
    whenOutboxIdle(outbox, act);
  });
  return true;
}
