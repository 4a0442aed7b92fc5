/// <reference lib="webworker" />
// Service worker (vite-plugin-pwa injectManifest). App shell precached; model files and images
// cache-first by immutable URL; API JSON network-first with the last answer as fallback; the
// outbox, the surveillance reports, thread messages, ratings and the photos queued for the bank
// are also sent from here by Background Sync when the app is closed (then "Mes demandes" is
// refreshed here too, so an open page sees the case arrive).
import { clientsClaim } from 'workbox-core';
import { CacheableResponsePlugin } from 'workbox-cacheable-response';
import { ExpirationPlugin } from 'workbox-expiration';
import {
  cleanupOutdatedCaches,
  createHandlerBoundToURL,
  precacheAndRoute,
} from 'workbox-precaching';
import { NavigationRoute, registerRoute } from 'workbox-routing';
import { CacheFirst, NetworkFirst } from 'workbox-strategies';
import { db } from './db/db';
import { MODEL_CACHE } from './classifier/model-fetch';
import { API_CACHE, CASE_PHOTO_CACHE, isCasePhotoPath } from './outbox/case-photo-cache';
import { BANK_UPLOADS_SYNC, flushBankUploads } from './bank/bank-sender';
import { bankUploadQueue } from './bank/bank-upload-repo';
import { messageQueue } from './outbox/message-outbox';
import { flushMessages, MESSAGES_SYNC } from './outbox/message-sender';
import { ratingQueue } from './outbox/rating-outbox';
import { flushRatings, RATINGS_SYNC } from './outbox/rating-sender';
import { syncAccountQueue, syncDetections, syncOutbox } from './pwa/sync-runs';
import { IMAGES_CACHE } from './library/images-cache';

declare const self: ServiceWorkerGlobalScope & {
  __WB_MANIFEST: (string | { url: string; revision: string | null })[];
};

precacheAndRoute(self.__WB_MANIFEST);
cleanupOutdatedCaches();
// First install takes control at once (nothing to disrupt); updates wait for the user's OK.
clientsClaim();

self.addEventListener('message', (event) => {
  if ((event.data as { type?: string } | null)?.type === 'SKIP_WAITING') void self.skipWaiting();
});

registerRoute(
  new NavigationRoute(createHandlerBoundToURL('/index.html'), {
    denylist: [/^\/api\//, /^\/images\//, /^\/models\//],
  }),
);

// /models/<version>/... never changes: the same cache the worker fills itself (model-fetch.ts).
// Backbone shards are named "group1-shard1of3" (no extension), so match on the path, not a suffix.
registerRoute(
  ({ url, request }) =>
    url.origin === self.location.origin &&
    url.pathname.startsWith('/models/') &&
    request.method === 'GET',
  new CacheFirst({
    cacheName: MODEL_CACHE,
    plugins: [new CacheableResponsePlugin({ statuses: [200] })],
  }),
);

registerRoute(
  ({ url }) => url.origin === self.location.origin && url.pathname.startsWith('/images/'),
  new CacheFirst({
    cacheName: IMAGES_CACHE,
    plugins: [
      new CacheableResponsePlugin({ statuses: [200] }),
      new ExpirationPlugin({
        maxEntries: 600,
        maxAgeSeconds: 90 * 24 * 3600,
        purgeOnQuotaError: true,
      }),
    ],
  }),
);

// Quebec boundaries (maps, on-device region assignment): change only with a new release.
registerRoute(
  ({ url, request }) =>
    url.origin === self.location.origin &&
    request.method === 'GET' &&
    url.pathname.startsWith('/api/geo/'),
  new CacheFirst({
    cacheName: 'phytodiag-geo-v1',
    plugins: [new CacheableResponsePlugin({ statuses: [200] })],
  }),
);

// The user's case photos: filled by the page (case-photo-cache.ts) when online, served from here
// offline. Registered before the API route below, which would otherwise claim these URLs.
registerRoute(
  ({ url, request }) =>
    url.origin === self.location.origin &&
    request.method === 'GET' &&
    isCasePhotoPath(url.pathname),
  new CacheFirst({
    cacheName: CASE_PHOTO_CACHE,
    plugins: [new CacheableResponsePlugin({ statuses: [200] })],
  }),
);

// Dashboards: the public situation (anyone) and the lab's surveillance aggregates, fresh when
// online, last answer offline. Same cache as the cases, so signing out clears the lab's copy too.
// The CSV export is a download, not a screen: not kept.
registerRoute(
  ({ url, request }) =>
    url.origin === self.location.origin &&
    request.method === 'GET' &&
    (url.pathname.startsWith('/api/public/') ||
      (url.pathname.startsWith('/api/surveillance/') && !url.pathname.endsWith('.csv'))),
  new NetworkFirst({
    cacheName: API_CACHE,
    networkTimeoutSeconds: 6,
    plugins: [
      new CacheableResponsePlugin({ statuses: [200] }),
      new ExpirationPlugin({ maxEntries: 200 }),
    ],
  }),
);

// Library and cases JSON: fresh when online, last copy offline. Auth and model manifest excluded
// (the worker caches the manifest itself; auth answers must never be replayed).
registerRoute(
  ({ url, request }) =>
    url.origin === self.location.origin &&
    request.method === 'GET' &&
    (url.pathname.startsWith('/api/library') || url.pathname.startsWith('/api/escalations')),
  new NetworkFirst({
    cacheName: API_CACHE,
    networkTimeoutSeconds: 6,
    plugins: [
      new CacheableResponsePlugin({ statuses: [200] }),
      new ExpirationPlugin({ maxEntries: 200 }),
    ],
  }),
);

interface SyncEvent extends ExtendableEvent {
  tag: string;
}

/** One Background Sync tag: its run, which throws to be fired again later (sync-runs.ts). */
function onSync(tag: string, run: () => Promise<void>): void {
  self.addEventListener('sync', (event) => {
    const e = event as SyncEvent;
    if (e.tag === tag) e.waitUntil(run());
  });
}

onSync('phytodiag-outbox', () => syncOutbox(db));
// Photos queued for the image bank, thread messages and ratings written offline.
onSync(BANK_UPLOADS_SYNC, () =>
  syncAccountQueue(db, {
    flush: (userId, opts) => flushBankUploads(db, userId, opts),
    countBackingOff: bankUploadQueue.countBackingOff,
  }),
);
onSync(MESSAGES_SYNC, () =>
  syncAccountQueue(db, {
    flush: (userId, opts) => flushMessages(db, userId, opts),
    countBackingOff: messageQueue.countBackingOff,
  }),
);
onSync(RATINGS_SYNC, () =>
  syncAccountQueue(db, {
    flush: (userId, opts) => flushRatings(db, userId, opts),
    countBackingOff: ratingQueue.countBackingOff,
  }),
);

// Surveillance reports (opt-in) queued while offline: same idea, their own tag and lock.
onSync('phytodiag-detections', () => syncDetections(db));
