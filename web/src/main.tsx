import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app';
import { SESSION_ENDED_EVENT } from './api/http';
import { classifyPhotos, loadModel, preprocessInWorker } from './classifier/classifier-client';
import { syncContextPriors } from './classifier/context-priors';
import { db } from './db/db';
import { readSettings } from './db/settings';
import { initI18n } from './i18n';
import { keepFirstPhotos, syncLibraryText } from './library/library-sync';
import { finishPendingSignOut, revalidateSession } from './privacy/local-data';
import { registerServiceWorker } from './pwa/register-sw';
import { ensureModel } from './state/model-store';
import { startOutboxRunner } from './state/outbox-runner';
import { retryAccountFollow } from './state/session';
import { startNotificationPolling } from './state/notifications';
import './styles.css';

async function start() {
  const settings = await readSettings(db).catch(() => null);
  initI18n(settings?.lang ?? 'fr');
  createRoot(document.getElementById('root')!).render(
    <StrictMode>
      <App />
    </StrictMode>,
  );
  registerServiceWorker();
  window.addEventListener('online', () => {
    void finishPendingSignOut().catch(() => undefined);
    void retryAccountFollow();
  });
  // One check at a time: revalidateSession's own /api/auth/me also answers 401, once.
  let checking: Promise<void> | null = null;
  const recheckSession = () => {
    checking ??= revalidateSession()
      .catch(() => undefined)
      .finally(() => (checking = null));
  };
  window.addEventListener(SESSION_ENDED_EVENT, recheckSession);
  // Back in the app (from another app or tab): a role given or taken meanwhile applies now, not
  // only when the app is reopened. A phone's app is rarely closed.
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'visible' && navigator.onLine) recheckSession();
  });
  if (navigator.onLine) {
    await finishPendingSignOut().catch(() => undefined);
    await revalidateSession();
    // A language or profile chosen offline last time reaches the account now.
    await retryAccountFollow();
    // Text of the library is small: keep it current so fact sheets and names work offline, each
    // with its first reference photo.
    void syncLibraryText(db)
      .then(() => keepFirstPhotos(db))
      .catch(() => undefined);
    // The lab's season factors: small, and an offline diagnosis needs them on the device.
    void syncContextPriors(db).catch(() => undefined);
  }
  startOutboxRunner();
  startNotificationPolling();
  // Warm the model when idle: offline diagnosis works after the first visit.
  const idle = (cb: () => void) =>
    'requestIdleCallback' in window ? requestIdleCallback(cb) : setTimeout(cb, 500);
  idle(ensureModel);
}

// Test/benchmark hooks: the worker's decode + preprocess path (e2e parity with Node) and the
// classifier calls (bench:web), so measurements use the exact code the UI runs.
Object.assign(window, {
  phytodiagDebug: {
    preprocess: preprocessInWorker,
    loadModel,
    classify: classifyPhotos,
    // Loaded on demand: the map and its d3 code stay out of the first download.
    benchMap: (level: 'region' | 'mrc', runs?: number) =>
      import('./geo/map-bench').then((m) => m.benchMap(level, runs)),
  },
});

void start();
