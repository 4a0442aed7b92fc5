import Dexie from 'dexie';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { PhytoDb } from '../src/db/db';
import { readSettings } from '../src/db/settings';
import type { LibrarySyncEntry } from '@phytodiag/api/contract';
import { keepFirstPhotos, syncLibraryText, toRow } from '../src/library/library-sync';
import { syncEntry } from './library-entry-fixture';

let db: PhytoDb;
beforeEach(() => {
  db = new PhytoDb(`first-photos-${Math.random()}`);
});
afterEach(async () => {
  vi.unstubAllGlobals();
  db.close();
  await Dexie.delete(db.name);
});

/** A server that answers every image, and remembers what it was asked. */
function server() {
  const asked: string[] = [];
  const fetchImpl: typeof fetch = async (input) => {
    asked.push(String(input));
    return new Response(new Uint8Array(500), { headers: { 'content-type': 'image/webp' } });
  };
  return { asked, fetchImpl };
}

describe('the first reference photo of each entry, kept without being asked', () => {
  it('stores one photo per entry, the first, and nothing else; the library is not « downloaded »', async () => {
    await db.libraryEntries.bulkPut(
      [syncEntry('a', 4), syncEntry('b', 2), syncEntry('none', 0)].map(toRow),
    );
    const { asked, fetchImpl } = server();
    expect(await keepFirstPhotos(db, fetchImpl)).toBe(2);
    expect(asked.sort()).toEqual(['/images/a/0.webp', '/images/b/0.webp']);
    expect(((await db.libraryImages.toCollection().primaryKeys()) as string[]).sort()).toEqual([
      '/images/a/0.webp',
      '/images/b/0.webp',
    ]);
    expect((await db.libraryImages.get('/images/a/0.webp'))?.bytes).toBe(500);
    // « Télécharger la bibliothèque » still has the rest to do, and says so.
    expect((await readSettings(db)).libraryDownloadedAt).toBeNull();
  });

  it('fetches only what the device lacks: a second sync costs nothing, a new entry one photo', async () => {
    await db.libraryEntries.bulkPut([syncEntry('a', 3)].map(toRow));
    await keepFirstPhotos(db, server().fetchImpl);
    await db.libraryEntries.put(toRow(syncEntry('b', 3)));
    const { asked, fetchImpl } = server();
    expect(await keepFirstPhotos(db, fetchImpl)).toBe(1);
    expect(asked).toEqual(['/images/b/0.webp']);
  });

  it('downloads nothing when the browser asks to save data', async () => {
    vi.stubGlobal('navigator', { connection: { saveData: true } });
    await db.libraryEntries.bulkPut([syncEntry('a', 3)].map(toRow));
    const { asked, fetchImpl } = server();
    expect(await keepFirstPhotos(db, fetchImpl)).toBe(0);
    expect(asked).toEqual([]);
    expect(await db.libraryImages.count()).toBe(0);
  });

  it('a photo the server refuses stops the round without storing it; the next sync retries', async () => {
    await db.libraryEntries.bulkPut([syncEntry('a', 1)].map(toRow));
    const refused: typeof fetch = async () => new Response('no', { status: 503 });
    await expect(keepFirstPhotos(db, refused)).rejects.toThrow(/HTTP 503/);
    expect(await db.libraryImages.count()).toBe(0);
    expect(await keepFirstPhotos(db, server().fetchImpl)).toBe(1);
  });
});

describe('photos the lab withdrew from the bank', () => {
  /** The delta sync's answer: these entries changed, the library is now at `revision`. */
  const syncAnswer = (revision: number, ...items: LibrarySyncEntry[]): typeof fetch =>
    vi.fn(async () => Response.json({ revision, items }));

  it('leave the device with the sync that no longer lists them, and nothing else does', async () => {
    await db.libraryEntries.bulkPut([syncEntry('a', 3), syncEntry('b', 2)].map(toRow));
    await db.libraryImages.bulkPut(
      ['/images/a/0.webp', '/images/a/1.webp', '/images/a/2.webp', '/images/b/0.webp'].map(
        (url) => ({ url, blob: new Blob(['x']), bytes: 1 }),
      ),
    );
    // Nothing changed: nothing is looked at.
    expect(await syncLibraryText(db, syncAnswer(1))).toBe(0);
    expect(await db.libraryImages.count()).toBe(4);
    // The lab withdrew a's last two photos: the entry comes back with one.
    expect(await syncLibraryText(db, syncAnswer(2, syncEntry('a', 1)))).toBe(1);
    expect(((await db.libraryImages.toCollection().primaryKeys()) as string[]).sort()).toEqual([
      '/images/a/0.webp',
      '/images/b/0.webp',
    ]);
    expect((await readSettings(db)).libraryRevision).toBe(2);
  });

  it('are told apart by their content key, whatever the size kept', async () => {
    const key = (c: string) => c.repeat(64);
    const entry = syncEntry('a', 0);
    const image = (c: string) => ({
      url: `/images/${key(c)}.jpg`,
      thumbUrl: `/images/${key(c)}-320.webp`,
      width: 320,
      height: 240,
      credit: 'c',
      licence: 'CC-BY',
    });
    await db.libraryEntries.put(toRow({ ...entry, images: [image('a'), image('b')] }));
    await db.libraryImages.bulkPut(
      [`/images/${key('a')}-320.webp`, `/images/${key('b')}-320.webp`].map((url) => ({
        url,
        blob: new Blob(['x']),
        bytes: 1,
      })),
    );
    await syncLibraryText(db, syncAnswer(3, { ...entry, images: [image('b')] }));
    expect(await db.libraryImages.toCollection().primaryKeys()).toEqual([
      `/images/${key('b')}-320.webp`,
    ]);
  });
});
