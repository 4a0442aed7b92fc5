import Dexie from 'dexie';
import { afterEach, describe, expect, it } from 'vitest';
import { PhytoDb } from '../src/db/db';
import { SCHEMA_V1, SCHEMA_V2 } from '../src/db/schema';
import { readSettings } from '../src/db/settings';

const names: string[] = [];
afterEach(async () => {
  for (const n of names.splice(0)) await Dexie.delete(n);
});

describe('database schema v3 (detections queue, consents)', () => {
  it('keeps v2 data (settings, outbox photos, diagnoses) and starts with consents off', async () => {
    const name = `v3-${crypto.randomUUID()}`;
    names.push(name);
    // A database exactly as the v2 app left it.
    const v2 = new Dexie(name);
    v2.version(1).stores(SCHEMA_V1);
    v2.version(2).stores(SCHEMA_V2);
    const photo = new Blob([new Uint8Array([0xff, 0xd8, 0xff, 9, 9])], { type: 'image/jpeg' });
    await v2.table('settings').put({
      id: 'settings',
      profile: 'producer',
      lang: 'fr',
      crop: 'tomato',
      regionCode: '16',
      priorsEnabled: true,
      libraryRevision: 7,
      libraryDownloadedAt: '2026-11-01T10:00:00.000Z',
    });
    await v2.table('outbox').put({
      clientId: 'c-2',
      createdAt: '2026-11-01T10:00:00.000Z',
      updatedAt: '2026-11-01T10:00:00.000Z',
      state: 'queued',
      case: { clientId: 'c-2', crop: 'Tomate', description: 'taches' },
      photos: [photo],
      attempts: 0,
      nextAttemptAt: '2026-11-01T10:00:00.000Z',
      lastError: null,
      permanentError: false,
      serverId: null,
    });
    await v2
      .table('diagnoses')
      .put({ id: 'd-1', createdAt: '2026-11-01T10:00:00.000Z', photos: [photo] });
    v2.close();

    const db = new PhytoDb(name);
    await db.open();
    expect(db.verno).toBe(8);
    const s = await readSettings(db);
    expect(s).toMatchObject({
      profile: 'producer',
      crop: 'tomato',
      regionCode: '16',
      libraryRevision: 7,
    });
    // An app update never turns on GPS reads or reporting by itself.
    expect([s.consentLocation, s.consentShareDetections, s.consentsPending]).toEqual([
      false,
      false,
      false,
    ]);
    const row = await db.outbox.get('c-2');
    expect(row?.state).toBe('queued');
    expect(row?.photos[0]?.size).toBe(5);
    expect((await db.diagnoses.get('d-1'))?.photos).toHaveLength(1);
    // The new table and its indexes are usable.
    expect(await db.detections.where('state').equals('queued').count()).toBe(0);
    db.close();
  });
});
