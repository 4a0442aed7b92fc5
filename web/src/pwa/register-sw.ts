import { Workbox } from 'workbox-window';
import { isOutboxBusy, onOutboxBusy } from '../state/outbox-runner';
import { whenOutboxIdle } from './update-gate';

type UpdateState = 'none' | 'ready' | 'waiting-outbox';

let wb: Workbox | null = null;
let state: UpdateState = 'none';
const listeners = new Set<() => void>();

function set(next: UpdateState): void {
  state = next;
  listeners.forEach((l) => l());
}

export const updateState = (): UpdateState => state;
export function subscribeUpdate(cb: () => void): () => void {
  listeners.add(cb);
  return () => listeners.delete(cb);
}

export function registerServiceWorker(): void {
  if (!('serviceWorker' in navigator) || !import.meta.env.PROD) return;
  wb = new Workbox('/sw.js', { scope: '/' });
  // A new SW is installed and waiting: ask, never take over on our own.
  wb.addEventListener('waiting', () => set('ready'));
  void wb.register();
}

const outbox = { isBusy: isOutboxBusy, onBusy: onOutboxBusy };

/** Switch to the new version, never while the outbox is sending (see update-gate). */
export async function applyUpdate(): Promise<void> {
  if (!wb) return;
  const waited = whenOutboxIdle(outbox, () => {
    // Checked again at reload time: a send may have started while the new worker activated.
    wb?.addEventListener('controlling', () =>
      whenOutboxIdle(outbox, () => window.location.reload()),
    );
    wb?.messageSkipWaiting();
  });
  if (waited) set('waiting-outbox');
}
