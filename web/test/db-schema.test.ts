import Dexie from 'dexie';
import { afterEach, describe, expect, it } from 'vitest';
import { PhytoDb } from '../src/db/db';
import { declareV1 } from '../src/db/schema';
import { readSettings, updateSettings } from '../src/db/settings';

const names: string[] = [];
function dbName(): string {
  const name = `test-${crypto.randomUUID()}`;
  names.push(name);
  return name;
}

afterEach(async () => {
  for (const n of names.splice(0)) await Dexie.delete(n);
});

describe('database schema', () => {
  it('keeps v1 data (outbox photos, library) when upgrading to v2', async () => {
    const name = dbName();
    const v1 = new Dexie(name);
    declareV1(v1);
    const photo = new Blob([new Uint8Array([0xff, 0xd8, 0xff, 1, 2, 3])], { type: 'image/jpeg' });
    await v1.table('outbox').put({
      clientId: 'c-1',
      createdAt: '2024-06-01T10:00:00.000Z',
      updatedAt: '2024-06-01T10:00:00.000Z',
      state: 'sending',
      case: { clientId: 'c-1', crop: 'tomato', description: 'taches brunes' },
      photos: [photo],
      attempts: 1,
      lastError: null,
      serverId: null,
    });
    await v1.table('libraryEntries').put({
      slug: 'potato_late_blight',
      kind: 'disease',
      cropSlug: 'potato',
      crop: { fr: 'Pomme de terre', en: 'Potato' },
      scientificName: 'Phytophthora infestans',
      name: { fr: 'Mildiou de la pomme de terre', en: 'Potato late blight' },
      lookAlikes: [],
      factSheet: null,
      updatedAt: '2024-06-01T10:00:00.000Z',
      images: [],
      revision: 3,
    });
    v1.close();

    const db = new PhytoDb(name);
    await db.open();
    expect(db.verno).toBe(8);
    const row = await db.outbox.get('c-1');
    expect(row?.case.description).toBe('taches brunes');
    expect(row?.photos).toHaveLength(1);
    expect(row?.photos[0]?.size).toBe(6);
    // Interrupted v1 send is requeued and given the v2 fields.
    expect(row?.state).toBe('queued');
    expect(row?.permanentError).toBe(false);
    expect(typeof row?.nextAttemptAt).toBe('string');
    // The new multi-entry index is filled for old rows: accent-free search works.
    const hits = await db.libraryEntries.where('searchTokens').startsWith('mildiou').toArray();
    expect(hits.map((h) => h.slug)).toEqual(['potato_late_blight']);
    const sci = await db.libraryEntries.where('searchTokens').equals('phytophthora').count();
    expect(sci).toBe(1);
    db.close();
  });

  it('persists settings with defaults (French, no profile yet)', async () => {
    const db = new PhytoDb(dbName());
    expect((await readSettings(db)).lang).toBe('fr');
    expect((await readSettings(db)).profile).toBeNull();
    await updateSettings(db, { profile: 'gardener', lang: 'en' });
    const again = new PhytoDb(db.name);
    const s = await readSettings(again);
    expect(s.profile).toBe('gardener');
    expect(s.lang).toBe('en');
    expect(s.priorsEnabled).toBe(true);
    db.close();
    again.close();
  });
});
