import type { LibrarySync, LibrarySyncEntry } from '@phytodiag/api/contract';
import { apiJson } from '../api/http';
import type { PhytoDb } from '../db/db';
import { cropSlugOf, searchTokensOf } from '../db/search-tokens';
import { readSettings, updateSettings } from '../db/settings';
import type { LibraryEntryRow } from '../db/types';
import { IMAGES_CACHE } from './images-cache';

export function toRow(e: LibrarySyncEntry): LibraryEntryRow {
  return { ...e, cropSlug: cropSlugOf(e.crop), searchTokens: searchTokensOf(e) };
}

/**
 * Delta sync of the text of the library (small): entries changed since our revision. A changed
 * entry may list fewer photos (the lab withdrew some): those leave the device with it.
 */
export async function syncLibraryText(
  db: PhytoDb,
  fetchImpl: typeof fetch = fetch,
): Promise<number> {
  const { libraryRevision } = await readSettings(db);
  const delta = await apiJson<LibrarySync>(
    `/api/library/sync?since=${libraryRevision}`,
    {},
    fetchImpl,
  );
  await db.transaction('rw', db.libraryEntries, db.libraryImages, db.settings, async () => {
    await db.libraryEntries.bulkPut(delta.items.map(toRow));
    await updateSettings(db, { libraryRevision: delta.revision });
    if (delta.items.length > 0) await forgetWithdrawnPhotos(db);
  });
  if (delta.items.length > 0) await forgetWithdrawnFromCache(db).catch(() => undefined);
  return delta.items.length;
}

/** A stored image's content key: its three sizes (full, 320 px, 96 px icon) share it. */
function baseKeyOf(url: string): string | null {
  return /\/images\/([a-f0-9]{64})[^/]*$/.exec(url)?.[1] ?? null;
}

async function listedPhotoKeys(db: PhytoDb): Promise<Set<string>> {
  const rows = await db.libraryEntries.toArray();
  return new Set(rows.flatMap((r) => r.images.map((i) => baseKeyOf(i.thumbUrl) ?? i.thumbUrl)));
}

/**
 * Photos no entry lists any more: the lab withdrew them from the bank (a wrong label, an author
 * who took them back, a farm recognisable in the frame) and the server no longer serves them. The
 * device does not keep them either; nor do they count as « on the device » on the offline screen.
 */
async function forgetWithdrawnPhotos(db: PhytoDb): Promise<void> {
  const listed = await listedPhotoKeys(db);
  const urls = (await db.libraryImages.toCollection().primaryKeys()) as string[];
  await db.libraryImages.bulkDelete(urls.filter((u) => !listed.has(baseKeyOf(u) ?? u)));
}

/** The same for the service worker's copy (any size), which the browser keeps for a year. */
async function forgetWithdrawnFromCache(db: PhytoDb): Promise<void> {
  if (!(await globalThis.caches?.has(IMAGES_CACHE))) return;
  const cache = await caches.open(IMAGES_CACHE);
  const listed = await listedPhotoKeys(db);
  for (const req of await cache.keys()) {
    const key = baseKeyOf(new URL(req.url).pathname);
    if (key && !listed.has(key)) await cache.delete(req);
  }
}

/** Images kept for offline use: the 320 px thumbnails (the full JPEGs stay online-only). */
export function offlineImageUrls(rows: LibraryEntryRow[]): string[] {
  return [...new Set(rows.flatMap((r) => r.images.map((i) => i.thumbUrl)))];
}

/** Rough size before downloading; thumbnails are WebP around 20 KB. */
export const EST_THUMB_BYTES = 20_000;

export class QuotaError extends Error {}

function isQuotaError(err: unknown): boolean {
  return err instanceof DOMException && (err.name === 'QuotaExceededError' || err.code === 22);
}

export interface DownloadProgress {
  done: number;
  total: number;
  bytes: number;
}

/** « Télécharger la bibliothèque »: every thumbnail; the library is then marked downloaded. */
export async function downloadLibraryImages(
  db: PhytoDb,
  onProgress: (p: DownloadProgress) => void,
  fetchImpl: typeof fetch = fetch,
): Promise<DownloadProgress> {
  const urls = offlineImageUrls(await db.libraryEntries.toArray());
  const progress = await storeImages(db, urls, onProgress, fetchImpl);
  await db.settings.update('settings', { libraryDownloadedAt: new Date().toISOString() });
  return progress;
}

/** The first reference photo of each entry: one picture per crop enemy to compare a plant with. */
export function firstPhotoUrls(rows: LibraryEntryRow[]): string[] {
  return rows.flatMap((r) => (r.images[0] ? [r.images[0].thumbUrl] : []));
}

/**
 * Kept on the device without being asked, after each library sync: in the field with no signal,
 * a fact sheet or a result without a single picture leaves the grower nothing to compare the
 * plant with. About 20 KB each (under 1 MB for the bank), less than a tenth of the model the app
 * downloads anyway. Not when the browser asks to save data; the rest of the photos wait for
 * « Télécharger la bibliothèque ». Returns how many it stored.
 */
export async function keepFirstPhotos(
  db: PhytoDb,
  fetchImpl: typeof fetch = fetch,
): Promise<number> {
  // Network Information (Chromium): the Save-Data choice. Read off globalThis for workers/tests.
  const nav = (globalThis as { navigator?: { connection?: { saveData?: boolean } } }).navigator;
  if (nav?.connection?.saveData) return 0;
  const urls = firstPhotoUrls(await db.libraryEntries.toArray());
  const stored = await storeImages(db, urls, () => undefined, fetchImpl);
  return stored.done - stored.skipped;
}

/** Fetches into IndexedDB the `urls` not already there, two at a time. */
async function storeImages(
  db: PhytoDb,
  urls: string[],
  onProgress: (p: DownloadProgress) => void,
  fetchImpl: typeof fetch,
): Promise<DownloadProgress & { skipped: number }> {
  const have = new Set((await db.libraryImages.toCollection().primaryKeys()) as string[]);
  const progress: DownloadProgress = { done: 0, total: urls.length, bytes: 0 };
  onProgress({ ...progress });
  // Two at a time: quick on a farm connection without starving the rest of the app.
  const queue = urls.filter((u) => !have.has(u));
  const skipped = urls.length - queue.length;
  progress.done = skipped;
  const workers = [0, 1].map(async () => {
    for (let url = queue.shift(); url; url = queue.shift()) {
      const res = await fetchImpl(url);
      if (!res.ok) throw new Error(`${url}: HTTP ${res.status}`);
      const blob = await res.blob();
      try {
        await db.libraryImages.put({ url, blob, bytes: blob.size });
      } catch (err) {
        if (isQuotaError(err) || (err instanceof Error && err.name === 'QuotaExceededError'))
          throw new QuotaError();
        throw err;
      }
      progress.done += 1;
      progress.bytes += blob.size;
      onProgress({ ...progress });
    }
  });
  await Promise.all(workers);
  return { ...progress, skipped };
}

export interface SearchFilters {
  query: string;
  kind: string;
  crop: string;
}
