import Dexie, { type DBCore, type DBCoreMutateRequest } from 'dexie';
import { afterEach, describe, expect, it } from 'vitest';
import type { LibrarySyncEntry } from '@phytodiag/api/contract';
import { PhytoDb } from '../src/db/db';
import { en } from '../src/i18n/en';
import { fr } from '../src/i18n/fr';
import { downloadErrorText } from '../src/library/download-error';
import { downloadLibraryImages, QuotaError, toRow } from '../src/library/library-sync';
import { syncEntry } from './library-entry-fixture';
import { translator } from './translator';

let db: PhytoDb;
afterEach(async () => {
  db.close();
  await Dexie.delete(db.name);
});

/**
 * fake-indexeddb has no quota, so a DBCore middleware plays the full disk: after `room` image
 * writes, IndexedDB's own error (a QuotaExceededError DOMException) comes back through Dexie.
 */
function fullDiskAfter(target: PhytoDb, room: number): void {
  let writes = 0;
  target.use({
    stack: 'dbcore',
    name: 'full-disk',
    create: (down: DBCore): DBCore => ({
      ...down,
      table(name) {
        const table = down.table(name);
        if (name !== 'libraryImages') return table;
        return {
          ...table,
          mutate: (req: DBCoreMutateRequest) => {
            writes += 1;
            if (writes > room)
              return Promise.reject(new DOMException('quota exceeded', 'QuotaExceededError'));
            return table.mutate(req);
          },
        };
      },
    }),
  });
}

function entryWithImages(slug: string, n: number): LibrarySyncEntry {
  const sheet = {
    summary: 's',
    symptoms: 'y',
    lookAlikes: 'l',
    biology: 'b',
    scouting: 'sc',
    management: ['m'],
    callLab: 'c',
    producer: { actNow: ['a'] },
    gardener: { plain: 'p', homeGarden: ['h'] },
  };
  return syncEntry(slug, n, { fr: sheet, en: sheet });
}

const image: typeof fetch = async () =>
  new Response(new Uint8Array(1000), { headers: { 'content-type': 'image/webp' } });

describe('offline download on a full device', () => {
  it('stops with a QuotaError, keeps what fitted, and says so in plain words', async () => {
    db = new PhytoDb(`quota-${crypto.randomUUID()}`);
    fullDiskAfter(db, 3);
    await db.libraryEntries.bulkPut([toRow(entryWithImages('corn_common_rust', 6))]);

    const err = await downloadLibraryImages(db, () => undefined, image).then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(QuotaError);
    expect(await db.libraryImages.count()).toBe(3);
    // Not marked as downloaded: the next attempt resumes with the missing images.
    expect((await db.settings.get('settings'))?.libraryDownloadedAt ?? null).toBeNull();

    expect(downloadErrorText(err, await translator('fr'))).toBe(fr.offline.quota);
    expect(downloadErrorText(err, await translator('en'))).toBe(en.offline.quota);
  });

  it('reports any other failure with its cause, not as a full disk', async () => {
    db = new PhytoDb(`quota-${crypto.randomUUID()}`);
    await db.libraryEntries.bulkPut([toRow(entryWithImages('corn_common_rust', 2))]);
    const down: typeof fetch = async () => new Response('nope', { status: 503 });
    const err = await downloadLibraryImages(db, () => undefined, down).then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).not.toBeInstanceOf(QuotaError);
    const text = downloadErrorText(err, await translator('fr'));
    expect(text).not.toBe(fr.offline.quota);
    expect(text).toContain('HTTP 503');
  });
});
