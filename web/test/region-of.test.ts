import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { geoContains } from 'd3-geo';
import type { Position } from 'geojson';
import { describe, expect, it } from 'vitest';
import type { MrcProps, Mrcs, RegionProps, Regions } from '../src/geo/geo-data';
import { featureAt, indexFeatures, placeOf, type GeoIndex } from '../src/geo/region-of';

// The real boundaries the PWA downloads from /api/geo/* (GEO_DIR).
const GEO_DIR =
  process.env.GEO_DIR ?? join(import.meta.dirname, '..', '..', '..', 'shared', 'data', 'geo');
const regionsFc = JSON.parse(
  readFileSync(join(GEO_DIR, 'quebec-regions.geojson'), 'utf8'),
) as Regions;
const mrcsFc = JSON.parse(readFileSync(join(GEO_DIR, 'quebec-mrc.geojson'), 'utf8')) as Mrcs;
const regions = indexFeatures(regionsFc);
const mrcs = indexFeatures(mrcsFc);

function rings(code: string, fc: Regions | Mrcs): Position[][] {
  const f = fc.features.find((x) => x.properties.code === code);
  if (!f) throw new Error(`no feature ${code}`);
  const g = f.geometry;
  if (g.type === 'Polygon') return g.coordinates;
  if (g.type === 'MultiPolygon') return g.coordinates.flat();
  throw new Error(g.type);
}

/**
 * Points just either side of the longest edge the two features share (same two vertices in both
 * layers' rings), found in the GeoJSON itself rather than typed in by hand.
 */
function besideSharedBorder(a: string, b: string, fc: Regions | Mrcs): [Position, Position] {
  const key = (p: Position, q: Position) => `${p[0]},${p[1]}|${q[0]},${q[1]}`;
  const edgesOfB = new Set<string>();
  for (const ring of rings(b, fc))
    for (let i = 1; i < ring.length; i++) {
      edgesOfB.add(key(ring[i - 1]!, ring[i]!));
      edgesOfB.add(key(ring[i]!, ring[i - 1]!));
    }
  let best: [Position, Position] | null = null;
  let bestLen = 0;
  for (const ring of rings(a, fc))
    for (let i = 1; i < ring.length; i++) {
      const p = ring[i - 1]!;
      const q = ring[i]!;
      if (!edgesOfB.has(key(p, q))) continue;
      const len = Math.hypot(q[0]! - p[0]!, q[1]! - p[1]!);
      if (len > bestLen) {
        bestLen = len;
        best = [p, q];
      }
    }
  if (!best) throw new Error(`${a} and ${b} share no edge`);
  const [p, q] = best;
  const mid = [(p[0]! + q[0]!) / 2, (p[1]! + q[1]!) / 2];
  // Unit normal, offset by a small share of the edge (and at most ~100 m).
  const nx = -(q[1]! - p[1]!) / bestLen;
  const ny = (q[0]! - p[0]!) / bestLen;
  const d = Math.min(bestLen / 20, 0.001);
  return [
    [mid[0]! + nx * d, mid[1]! + ny * d],
    [mid[0]! - nx * d, mid[1]! - ny * d],
  ];
}

function codeAt<P extends { code: string }>(index: GeoIndex<P>, p: Position): string | null {
  return featureAt(index, p[0]!, p[1]!)?.code ?? null;
}

describe('on-device region assignment (real Quebec GeoJSON)', () => {
  it('places well-known towns in their region and MRC-level region', () => {
    const towns: [string, number, number, string][] = [
      ['Montréal', -73.5673, 45.5017, '06'],
      ['Québec', -71.208, 46.8139, '03'],
      ['Saint-Hyacinthe', -72.953, 45.6307, '16'],
      ['Sherbrooke', -71.8929, 45.4042, '05'],
      ['Rimouski', -68.5239, 48.4489, '01'],
      ['Gatineau', -75.7013, 45.4765, '07'],
      ['Drummondville', -72.4844, 45.8803, '17'],
    ];
    for (const [name, lon, lat, code] of towns) {
      const place = placeOf(regions, mrcs, lon, lat);
      expect(place.regionCode, name).toBe(code);
      expect(place.mrcCode, name).not.toBeNull();
      const mrc = mrcsFc.features.find((f) => f.properties.code === place.mrcCode);
      expect(mrc?.properties.region_code, name).toBe(code);
    }
  });

  it('assigns each side of a shared region border to its own region', () => {
    const pairs: [string, string][] = [
      ['16', '05'], // Montérégie | Estrie
      ['17', '16'], // Centre-du-Québec | Montérégie
      ['03', '04'], // Capitale-Nationale | Mauricie
      ['12', '05'], // Chaudière-Appalaches | Estrie
      ['14', '15'], // Lanaudière | Laurentides
    ];
    for (const [a, b] of pairs) {
      const [side1, side2] = besideSharedBorder(a, b, regionsFc);
      const got = [codeAt(regions, side1), codeAt(regions, side2)].sort();
      expect(got, `${a}|${b}`).toEqual([a, b].sort());
    }
  });

  it('assigns each side of a shared MRC border to its own MRC', () => {
    // Two neighbouring MRC found in the data: the first pair in Montérégie sharing an edge.
    const inRegion = mrcsFc.features.filter((f) => f.properties.region_code === '16');
    let checked = 0;
    for (let i = 0; i < inRegion.length && checked < 3; i++)
      for (let j = i + 1; j < inRegion.length && checked < 3; j++) {
        const a = inRegion[i]!.properties.code;
        const b = inRegion[j]!.properties.code;
        let sides: [Position, Position];
        try {
          sides = besideSharedBorder(a, b, mrcsFc);
        } catch {
          continue; // not neighbours
        }
        const got = [codeAt(mrcs, sides[0]), codeAt(mrcs, sides[1])].sort();
        expect(got, `${a}|${b}`).toEqual([a, b].sort());
        checked += 1;
      }
    expect(checked).toBe(3);
  });

  it('assigns the St. Lawrence estuary to a shore region, and nothing outside Quebec', () => {
    // Mid-estuary between Rimouski and Baie-Comeau: both layers include the water (SOURCE.md).
    const river = placeOf(regions, mrcs, -68.6, 48.85);
    expect(['01', '09']).toContain(river.regionCode);
    const mrc = mrcsFc.features.find((f) => f.properties.code === river.mrcCode);
    expect(mrc?.properties.region_code ?? river.regionCode).toBe(river.regionCode);
    expect(placeOf(regions, mrcs, -79.3832, 43.6532)).toEqual({ regionCode: null, mrcCode: null }); // Toronto
    expect(placeOf(regions, mrcs, -73.9857, 40.7484)).toEqual({ regionCode: null, mrcCode: null }); // New York
    expect(placeOf(regions, mrcs, Number.NaN, 46)).toEqual({ regionCode: null, mrcCode: null });
  });

  it('agrees with a plain geoContains scan (the bounding-box prefilter loses nothing)', () => {
    // A coarse grid over southern Quebec: same answer with and without the prefilter.
    for (let lon = -79.5; lon <= -57; lon += 0.75)
      for (let lat = 44.9; lat <= 52; lat += 0.5) {
        const slow = regionsFc.features.find((f) => geoContains(f.geometry, [lon, lat]));
        expect(featureAt(regions, lon, lat)?.code ?? null).toBe(slow?.properties.code ?? null);
      }
  });

  it('keeps an MRC only when it lies in the region found', () => {
    // Region layer says A, MRC layer says an MRC of B (layers simplified separately): no MRC.
    const one = (code: string, region: string): GeoIndex<MrcProps> => ({
      items: mrcs.items
        .filter((i) => i.feature.properties.code === code)
        .map((i) => ({
          ...i,
          feature: { ...i.feature, properties: { ...i.feature.properties, region_code: region } },
        })),
    });
    const place = placeOf(regions, mrcs, -72.953, 45.6307);
    expect(place.mrcCode).not.toBeNull();
    const wrong = placeOf(regions, one(place.mrcCode!, '05'), -72.953, 45.6307);
    expect(wrong).toEqual({ regionCode: '16', mrcCode: null });
    const regionsOnly: GeoIndex<RegionProps> = { items: [] };
    // No region polygon at all: the MRC's own region code is used.
    expect(placeOf(regionsOnly, mrcs, -72.953, 45.6307)).toEqual(place);
  });
});
