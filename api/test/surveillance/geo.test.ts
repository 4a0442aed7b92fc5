import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadQuebecGeo, MRC_FILE, REGIONS_FILE, type QuebecGeo } from '../../src/geo/quebec-geo';
import { expectError } from '../helpers/http';
import { createTestApp, type TestApp } from '../helpers/test-app';

type Position = [number, number];
interface Layer {
  features: {
    properties: { code: string };
    geometry: { type: 'Polygon' | 'MultiPolygon'; coordinates: Position[][] | Position[][][] };
  }[];
}

function rings(f: Layer['features'][number]): Position[][] {
  return f.geometry.type === 'Polygon'
    ? (f.geometry.coordinates as Position[][])
    : (f.geometry.coordinates as Position[][][]).flat();
}

/**
 * For every pair of features sharing a border in the file itself: the longest shared segment,
 * and two points just off its middle, one on each side (offset ≪ segment length).
 */
function borderProbes(
  layer: Layer,
  minLength: number,
): { a: string; b: string; p: Position; q: Position }[] {
  const owners = new Map<string, { codes: Set<string>; s: [Position, Position] }>();
  for (const f of layer.features) {
    for (const ring of rings(f)) {
      for (let i = 0; i + 1 < ring.length; i += 1) {
        const s: [Position, Position] = [ring[i] as Position, ring[i + 1] as Position];
        const key = s
          .map((x) => x.join(','))
          .sort()
          .join('|');
        const entry = owners.get(key) ?? { codes: new Set<string>(), s };
        entry.codes.add(f.properties.code);
        owners.set(key, entry);
      }
    }
  }
  const best = new Map<string, { len: number; s: [Position, Position]; a: string; b: string }>();
  for (const { codes, s } of owners.values()) {
    if (codes.size !== 2) continue;
    const [a, b] = [...codes].sort() as [string, string];
    const len = Math.hypot(s[1][0] - s[0][0], s[1][1] - s[0][1]);
    const pair = `${a}|${b}`;
    if (len >= minLength && len > (best.get(pair)?.len ?? 0)) best.set(pair, { len, s, a, b });
  }
  return [...best.values()].map(({ len, s, a, b }) => {
    const mid: Position = [(s[0][0] + s[1][0]) / 2, (s[0][1] + s[1][1]) / 2];
    // Unit normal, scaled to 5 % of the segment (and at most 0.002°, ~200 m).
    const d = Math.min(len * 0.05, 0.002) / len;
    const n: Position = [-(s[1][1] - s[0][1]) * d, (s[1][0] - s[0][0]) * d];
    return { a, b, p: [mid[0] + n[0], mid[1] + n[1]], q: [mid[0] - n[0], mid[1] - n[1]] };
  });
}

describe('region and MRC of a point (GEO_DIR, d3-geo)', () => {
  let t: TestApp;
  let geo: QuebecGeo;
  let regions: Layer;
  let mrcs: Layer;

  beforeAll(async () => {
    t = await createTestApp();
    geo = await t.app.services.geo.get();
    regions = JSON.parse(await readFile(join(t.config.geoDir, REGIONS_FILE), 'utf8')) as Layer;
    mrcs = JSON.parse(await readFile(join(t.config.geoDir, MRC_FILE), 'utf8')) as Layer;
  });
  afterAll(() => t.close());

  it('points just inside each side of every shared region border fall on their side', () => {
    const probes = borderProbes(regions, 0.01);
    // Quebec's 17 regions have dozens of neighbouring pairs.
    expect(probes.length).toBeGreaterThan(25);
    for (const { a, b, p, q } of probes) {
      const got = [geo.regionOf(...p), geo.regionOf(...q)].sort();
      expect(got, `${a}/${b} at ${p.join(',')}`).toEqual([a, b]);
    }
  });

  it('points just inside each side of MRC borders fall in their MRC', () => {
    const probes = borderProbes(mrcs, 0.01);
    expect(probes.length).toBeGreaterThan(100);
    for (const { a, b, p, q } of probes) {
      const got = [geo.mrcOf(...p), geo.mrcOf(...q)].sort();
      expect(got, `${a}/${b} at ${p.join(',')}`).toEqual([a, b]);
    }
  });

  it('known places, the St. Lawrence estuary, and places outside Quebec', () => {
    expect(geo.regionOf(-73.567, 45.502)).toBe('06'); // Montréal
    expect(geo.regionOf(-71.208, 46.814)).toBe('03'); // Québec
    expect(geo.regionOf(-71.89, 45.4)).toBe('05'); // Sherbrooke
    expect(geo.mrcOf(-71.89, 45.4)).toBe('43');
    expect(geo.regionOfMrc('43')).toBe('05');
    expect(geo.regionOfMrc('999')).toBeNull();
    // Mid-estuary between Rimouski and Baie-Comeau: the region layer includes the waters.
    const estuary = geo.regionOf(-68.6, 48.75);
    expect(['01', '09']).toContain(estuary);
    const estuaryMrc = geo.mrcOf(-68.6, 48.75);
    if (estuaryMrc !== null) expect(geo.regionOfMrc(estuaryMrc)).toBe(estuary);
    for (const [lon, lat] of [
      [-79.38, 43.65], // Toronto
      [-76.48, 44.23], // Kingston
      [-71.06, 42.36], // Boston
      [-66.64, 45.96], // Fredericton
      [-60, 40], // Atlantic
      [Number.NaN, 46],
    ] as Position[]) {
      expect(geo.regionOf(lon, lat), `${lon},${lat}`).toBeNull();
      expect(geo.mrcOf(lon, lat)).toBeNull();
    }
  });

  it('loads the files once', async () => {
    expect(await t.app.services.geo.get()).toBe(geo);
    const fresh = await loadQuebecGeo(t.config.geoDir);
    expect(fresh.regionsFile.etag).toBe(geo.regionsFile.etag);
  });

  it('serves both files with a day of public cache and an ETag (304 when unchanged)', async () => {
    for (const [url, file] of [
      ['/api/geo/regions', REGIONS_FILE],
      ['/api/geo/mrc', MRC_FILE],
    ] as const) {
      const res = await t.app.inject({ method: 'GET', url });
      expect(res.statusCode).toBe(200);
      expect(res.headers['cache-control']).toBe('public, max-age=86400');
      expect(res.headers['content-type']).toBe('application/geo+json; charset=utf-8');
      expect(res.body).toBe(await readFile(join(t.config.geoDir, file), 'utf8'));
      const etag = res.headers.etag as string;
      expect(etag).toMatch(/^"[\w-]+"$/);
      const again = await t.app.inject({ method: 'GET', url, headers: { 'if-none-match': etag } });
      expect(again.statusCode).toBe(304);
      expect(again.body).toBe('');
      const other = await t.app.inject({ method: 'GET', url, headers: { 'if-none-match': '"x"' } });
      expect(other.statusCode).toBe(200);
    }
  });

  it('answers 503 with a code, not a crash, when GEO_DIR cannot be read', async () => {
    const broken = await createTestApp({ GEO_DIR: join(t.tmp, 'no-such-dir') });
    try {
      const res = await broken.app.inject({ method: 'GET', url: '/api/geo/regions' });
      expectError(res, 503, 'SERVICE_UNAVAILABLE');
    } finally {
      await broken.close();
    }
  });
});
