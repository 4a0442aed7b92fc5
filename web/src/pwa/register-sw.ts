import { Workbox } from 'workbox-window';
import { isOutboxBusy, onOutboxBusy } from '../state/outbox-runner';

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

/**
 * Switch to the new version. Never while the outbox is sending: the reload would cut an upload
 * (the clientId would make a resend safe, but the user would see a needless failure).
 */
export async function applyUpdate(): Promise<void> {
  if (!wb) return;
  const go = () => {
    wb?.addEventListener('controlling', () => window.location.reload());
    wb?.messageSkipWaiting();
  };
  if (!isOutboxBusy()) return go();
  set('waiting-outbox');
  const off = onOutboxBusy((busy) => {
    if (busy) return;
    off();
    go();
  });
}
