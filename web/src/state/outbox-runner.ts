import { db } from '../db/db';
import { deliverOutbox } from '../outbox/deliver';

// Sends the outbox: on app start, when the network comes back, after a case is queued, and on a
// slow timer for backoff retries. Background Sync (sw.ts) covers the case where the app is closed.
let running: Promise<void> | null = null;
const busyListeners = new Set<(busy: boolean) => void>();

export function onOutboxBusy(cb: (busy: boolean) => void): () => void {
  busyListeners.add(cb);
  return () => busyListeners.delete(cb);
}

export function isOutboxBusy(): boolean {
  return running !== null;
}

export function kickOutbox(force = false): Promise<void> {
  if (!navigator.onLine) return Promise.resolve();
  running ??= (async () => {
    busyListeners.forEach((l) => l(true));
    try {
      await deliverOutbox(db, { force });
    } finally {
      running = null;
      busyListeners.forEach((l) => l(false));
    }
  })();
  return running;
}

export async function registerBackgroundSync(): Promise<void> {
  try {
    const reg = await navigator.serviceWorker?.ready;
    const sync = (
      reg as
        | (ServiceWorkerRegistration & { sync?: { register(tag: string): Promise<void> } })
        | undefined
    )?.sync;
    await sync?.register('phytodiag-outbox');
  } catch {
    // Not supported (Firefox/Safari) or denied: the online/start triggers still apply.
  }
}

export function startOutboxRunner(): void {
  void kickOutbox();
  window.addEventListener('online', () => void kickOutbox(true));
  window.setInterval(() => void kickOutbox(), 30_000);
}
