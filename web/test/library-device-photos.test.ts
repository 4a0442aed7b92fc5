import Dexie from 'dexie';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { PhytoDb } from '../src/db/db';
import { readSettings } from '../src/db/settings';
import { keepFirstPhotos, toRow } from '../src/library/library-sync';
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
