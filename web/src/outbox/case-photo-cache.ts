import type { MyCaseRow } from '../db/types';

// The user's own case and thread photos (private, served with the session cookie) kept on this
// device so "Mes demandes" shows them offline. Shared by the page (which fills it) and the service
// worker (which serves it cache-first: a photo at a given URL never changes).
export const CASE_PHOTO_CACHE = 'phytodiag-case-photos-v1';
/** NetworkFirst copy of the API JSON (sw.ts); holds private case data too. */
export const API_CACHE = 'phytodiag-api-v1';

const PHOTO_PATH = /^\/api\/escalations\/[^/]+\/(?:messages\/[^/]+\/)?photos\/\d+$/;

export function isCasePhotoPath(pathname: string): boolean {
  return PHOTO_PATH.test(pathname);
}

/** Enough for a season of cases without letting full-size photos fill the device. */
export const OFFLINE_CASES = 20;

/** Thumbnails and full-size photos of the most recent cases and their threads. */
export function casePhotoUrls(rows: MyCaseRow[]): string[] {
  const recent = [...rows]
    .sort((a, b) => b.updatedAt.localeCompare(a.updatedAt))
    .slice(0, OFFLINE_CASES);
  const photos = recent.flatMap((r) => [
    ...(r.photos ?? []),
    ...(r.messages ?? []).flatMap((m) => m.photos),
  ]);
  return [...new Set(photos.flatMap((p) => [p.thumbUrl, p.url]))];
}

/** Downloads the photos not cached yet; one failure (deleted case, offline) skips that photo. */
export async function keepCasePhotosOffline(rows: MyCaseRow[]): Promise<number> {
  if (typeof caches === 'undefined') return 0;
  const cache = await caches.open(CASE_PHOTO_CACHE);
  let added = 0;
  for (const url of casePhotoUrls(rows)) {
    if (await cache.match(url)) continue;
    try {
      const res = await fetch(url, { credentials: 'same-origin' });
      if (!res.ok) continue;
      await cache.put(url, res);
      added += 1;
    } catch {
      // Offline or quota: the photo stays online-only for now; the next refresh retries.
    }
  }
  return added;
}

/** On sign-out: another person may use this device next. */
export async function forgetPrivateCaches(): Promise<void> {
  if (typeof caches === 'undefined') return;
  await Promise.all([caches.delete(CASE_PHOTO_CACHE), caches.delete(API_CACHE)]);
}
