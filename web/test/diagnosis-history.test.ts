import Dexie from 'dexie';
import { afterEach, describe, expect, it } from 'vitest';
import { PhytoDb } from '../src/db/db';
import {
  addDiagnosis,
  clearDiagnoses,
  deleteDiagnosis,
  DIAGNOSIS_HISTORY_MAX,
} from '../src/db/diagnosis-history';
import { queueCase, saveDraft } from '../src/outbox/outbox-repo';
import type { DiagnosisRow } from '../src/db/types';

let db: PhytoDb;
afterEach(async () => {
  db.close();
  await Dexie.delete(db.name);
});

function diagnosis(i: number): DiagnosisRow {
  return {
    id: `d-${i}`,
    // One minute apart, in order.
    createdAt: new Date(Date.UTC(2026, 5, 1, 8, i)).toISOString(),
    photos: [new Blob([new Uint8Array([i])], { type: 'image/jpeg' })],
    takenAt: null,
    location: { lat: 46.8, lon: -71.2 },
    context: { crop: 'potato', regionCode: '03', month: 6, priorsEnabled: true },
    result: {
      ranked: [{ slug: 'potato_late_blight', probability: 0.9 }],
      abstained: false,
      abstainReason: null,
      confidence: 'probable',
      modelVersion: 'v1',
      backend: 'wasm',
      elapsedMs: 100,
    },
  };
}

describe('diagnosis history on the device', () => {
  it('keeps the newest DIAGNOSIS_HISTORY_MAX, dropping the oldest with their photos', async () => {
    db = new PhytoDb(`history-${crypto.randomUUID()}`);
    for (let i = 0; i < DIAGNOSIS_HISTORY_MAX + 3; i++) await addDiagnosis(db, diagnosis(i));
    const kept = await db.diagnoses.orderBy('createdAt').primaryKeys();
    expect(kept).toHaveLength(DIAGNOSIS_HISTORY_MAX);
    expect(kept[0]).toBe('d-3');
    expect(kept.at(-1)).toBe(`d-${DIAGNOSIS_HISTORY_MAX + 2}`);
  });

  it('deletes one diagnosis and nothing else', async () => {
    db = new PhytoDb(`history-${crypto.randomUUID()}`);
    for (let i = 0; i < 3; i++) await addDiagnosis(db, diagnosis(i));
    await deleteDiagnosis(db, 'd-1');
    expect(await db.diagnoses.orderBy('createdAt').primaryKeys()).toEqual(['d-0', 'd-2']);
  });

  it('erases every diagnosis and nothing of the requests or drafts', async () => {
    db = new PhytoDb(`history-${crypto.randomUUID()}`);
    for (let i = 0; i < 3; i++) await addDiagnosis(db, diagnosis(i));
    const photo = new Blob([new Uint8Array([9])], { type: 'image/jpeg' });
    const queued = { clientId: crypto.randomUUID(), crop: 'potato', description: 'envoyée' };
    const draft = { clientId: crypto.randomUUID(), crop: 'potato', description: 'brouillon' };
    await queueCase(db, queued, [photo]);
    await saveDraft(db, draft, [photo]);
    await clearDiagnoses(db);
    expect(await db.diagnoses.count()).toBe(0);
    expect(
      (await db.outbox.toArray()).map((r) => [r.case.description, r.photos.length]).sort(),
    ).toEqual([
      ['brouillon', 1],
      ['envoyée', 1],
    ]);
  });

  it('refuses a second diagnosis with the same id instead of overwriting it', async () => {
    db = new PhytoDb(`history-${crypto.randomUUID()}`);
    await addDiagnosis(db, diagnosis(1));
    await expect(addDiagnosis(db, { ...diagnosis(1), takenAt: 'x' })).rejects.toThrow();
    expect((await db.diagnoses.get('d-1'))?.takenAt).toBeNull();
  });
});
