import type { ContextPriors } from '@phytodiag/api/contract';
import Dexie from 'dexie';
import { afterEach, describe, expect, it } from 'vitest';
import {
  readSeasonFactors,
  seasonFactors,
  syncContextPriors,
} from '../src/classifier/context-priors';
import { inRegion, REGIONS } from '../src/components/region-options';
import { PhytoDb } from '../src/db/db';
import { SCHEMA_V1, SCHEMA_V2, SCHEMA_V3 } from '../src/db/schema';

const months = (at: Record<number, Record<string, number>>): ContextPriors['province'] =>
  Array.from({ length: 12 }, (_, i) => at[i + 1] ?? null);

const PRIORS: ContextPriors = {
  from: '2023-12-04',
  to: '2026-11-30',
  minCount: 3,
  range: { min: 0.5, max: 2 },
  province: months({ 7: { potato_late_blight: 1.6 }, 12: { insect_mealybug: 2 } }),
  regions: { '16': months({ 7: { potato_late_blight: 1.9 } }) },
};

const names: string[] = [];
afterEach(async () => {
  for (const n of names.splice(0)) await Dexie.delete(n);
});

describe('seasonFactors', () => {
  it('takes the region’s season when the lab has enough confirmations there', () => {
    expect(seasonFactors(PRIORS, '16', 7)).toEqual({
      factors: { potato_late_blight: 1.9 },
      scope: 'region',
    });
  });

  it('falls back on Quebec’s season for another region, a month the region lacks, or none', () => {
    expect(seasonFactors(PRIORS, '05', 7)?.scope).toBe('province');
    expect(seasonFactors(PRIORS, '16', 12)).toEqual({
      factors: { insect_mealybug: 2 },
      scope: 'province',
    });
    expect(seasonFactors(PRIORS, null, 7)?.factors).toEqual({ potato_late_blight: 1.6 });
  });

  it('gives no factor without data for the season, and says so apart from "no table yet"', () => {
    expect(seasonFactors(PRIORS, '16', 3)).toEqual({ factors: null, scope: 'none' });
    expect(seasonFactors(undefined, '16', 7)).toBeNull();
  });
});

describe('the device’s copy (schema v4)', () => {
  it('is stored by a sync and read back for a diagnosis, offline', async () => {
    const name = `priors-${crypto.randomUUID()}`;
    names.push(name);
    const db = new PhytoDb(name);
    const asked: string[] = [];
    const fetchImpl: typeof fetch = async (input) => {
      asked.push(String(input));
      return new Response(JSON.stringify(PRIORS), {
        headers: { 'content-type': 'application/json' },
      });
    };
    expect(await readSeasonFactors(db, '16', 7)).toBeNull();
    await syncContextPriors(db, fetchImpl);
    expect(asked).toEqual(['/api/public/context-priors']);
    expect(await readSeasonFactors(db, '16', 7)).toEqual({
      factors: { potato_late_blight: 1.9 },
      scope: 'region',
    });
    db.close();
  });

  it('a failed sync keeps the previous copy', async () => {
    const name = `priors-${crypto.randomUUID()}`;
    names.push(name);
    const db = new PhytoDb(name);
    await db.contextPriors.put({
      id: 'current',
      fetchedAt: '2026-11-01T00:00:00Z',
      priors: PRIORS,
    });
    const down: typeof fetch = async () =>
      new Response(JSON.stringify({ code: 'INTERNAL', message: 'x' }), { status: 503 });
    await expect(syncContextPriors(db, down)).rejects.toThrow();
    expect((await db.contextPriors.get('current'))?.priors).toEqual(PRIORS);
    db.close();
  });

  it('an update from v3 keeps the data and adds the empty table', async () => {
    const name = `v4-${crypto.randomUUID()}`;
    names.push(name);
    const v3 = new Dexie(name);
    v3.version(1).stores(SCHEMA_V1);
    v3.version(2).stores(SCHEMA_V2);
    v3.version(3).stores(SCHEMA_V3);
    await v3.table('diagnoses').put({ id: 'd-1', createdAt: '2026-11-01T10:00:00.000Z' });
    v3.close();
    const db = new PhytoDb(name);
    await db.open();
    expect(db.verno).toBe(8);
    expect(await db.diagnoses.get('d-1')).toMatchObject({ id: 'd-1' });
    expect(await db.contextPriors.count()).toBe(0);
    db.close();
  });
});

describe('inRegion', () => {
  it('writes every region with its own French preposition', () => {
    const french = REGIONS.map(([code]) => inRegion(code, 'fr'));
    expect(french.filter((s) => s.startsWith('dans la région'))).toEqual([]);
    expect(inRegion('01', 'fr')).toBe('au Bas-Saint-Laurent');
    expect(inRegion('15', 'fr')).toBe('dans les Laurentides');
    expect(inRegion('16', 'fr')).toBe('en Montérégie');
    expect(inRegion('16', 'en')).toBe('in Montérégie');
  });
});
