import type { LibrarySync, LibrarySyncEntry } from '@phytodiag/api/contract';
import { apiJson } from '../api/http';
import type { PhytoDb } from '../db/db';
import { cropSlugOf, searchTokensOf } from '../db/search-tokens';
import { readSettings, updateSettings } from '../db/settings';
import type { LibraryEntryRow } from '../db/types';

export function toRow(e: LibrarySyncEntry): LibraryEntryRow {
  return { ...e, cropSlug: cropSlugOf(e.crop), searchTokens: searchTokensOf(e) };
}

/** Delta sync of the text of the library (small): entries changed since our revision. */
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
  await db.transaction('rw', db.libraryEntries, db.settings, async () => {
    await db.libraryEntries.bulkPut(delta.items.map(toRow));
    await updateSettings(db, { libraryRevision: delta.revision });
  });
  return delta.items.length;
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

export async function downloadLibraryImages(
  db: PhytoDb,
  onProgress: (p: DownloadProgress) => void,
  fetchImpl: typeof fetch = fetch,
): Promise<DownloadProgress> {
  const rows = await db.libraryEntries.toArray();
  const urls = offlineImageUrls(rows);
  const have = new Set((await db.libraryImages.toCollection().primaryKeys()) as string[]);
  const progress: DownloadProgress = { done: 0, total: urls.length, bytes: 0 };
  onProgress({ ...progress });
  // Two at a time: quick on a farm connection without starving the rest of the app.
  const queue = urls.filter((u) => !have.has(u));
  progress.done = urls.length - queue.length;
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
  await db.settings.update('settings', { libraryDownloadedAt: new Date().toISOString() });
  return progress;
}

export interface SearchFilters {
  query: string;
  kind: string;
  crop: string;
}
