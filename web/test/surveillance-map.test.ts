import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as contract from '@phytodiag/api/contract';
import { binOf, countBins, fillFor, niceStep, SEQUENTIAL, ZERO_FILL } from '../src/geo/count-scale';
import type { Mrcs, Regions } from '../src/geo/geo-data';
import { featureAt, fitGeometry, localGeometry } from '../src/geo/map-geometry';
import { shapeNames } from '../src/geo/shape-names';
import { PUBLIC_MIN_CELL_COUNT, SURVEILLANCE_LIMITS } from '../src/surveillance/limits';

const GEO_DIR =
  process.env.GEO_DIR ?? join(import.meta.dirname, '..', '..', '..', 'shared', 'data', 'geo');
const regions = JSON.parse(
  readFileSync(join(GEO_DIR, 'quebec-regions.geojson'), 'utf8'),
) as Regions;
const mrcs = JSON.parse(readFileSync(join(GEO_DIR, 'quebec-mrc.geojson'), 'utf8')) as Mrcs;

/** Every x,y pair of an SVG path made of M/L/Z commands (what d3-geo writes for polygons). */
function points(d: string): [number, number][] {
  const nums = d.match(/-?\d+(\.\d+)?(e-?\d+)?/g)?.map(Number) ?? [];
  const out: [number, number][] = [];
  for (let i = 0; i + 1 < nums.length; i += 2) out.push([nums[i], nums[i + 1]]);
  return out;
}

describe('map geometry (d3-geo, Quebec Lambert)', () => {
  it('draws all 17 regions inside the viewBox, north up', () => {
    const g = fitGeometry(regions, 600);
    expect(g.shapes.map((s) => s.code)).toEqual(regions.features.map((f) => f.properties.code));
    expect(g.height).toBeGreaterThan(300);
    for (const s of g.shapes) {
      expect(s.d.length).toBeGreaterThan(20);
      for (const [x, y] of points(s.d)) {
        expect(x).toBeGreaterThanOrEqual(-0.5);
        expect(x).toBeLessThanOrEqual(600.5);
        expect(y).toBeGreaterThanOrEqual(-0.5);
        expect(y).toBeLessThanOrEqual(g.height + 0.5);
      }
    }
    const centroid = (code: string) => g.shapes.find((s) => s.code === code)!.centroid;
    // Nord-du-Québec is north of Montérégie; Outaouais west of Gaspésie.
    expect(centroid('10')[1]).toBeLessThan(centroid('16')[1]);
    expect(centroid('07')[0]).toBeLessThan(centroid('11')[0]);
  });

  it('memoises per (collection, width): same object back, other width recomputed', () => {
    const a = fitGeometry(regions, 600);
    expect(fitGeometry(regions, 600)).toBe(a);
    const b = fitGeometry(regions, 300);
    expect(b).not.toBe(a);
    expect(b.height).toBeCloseTo(a.height / 2, -1);
  });

  it('projects a known place into its own region (Montréal)', () => {
    const g = fitGeometry(regions, 600);
    const [lon, lat] = [-73.5673, 45.5017];
    expect(featureAt(regions, lon, lat)?.properties.code).toBe('06');
    const p = g.project(lon, lat)!;
    const mtl = g.shapes.find((s) => s.code === '06')!;
    // Montréal is an island a few px wide at this scale: the point is next to its centroid.
    expect(Math.hypot(p[0] - mtl.centroid[0], p[1] - mtl.centroid[1])).toBeLessThan(6);
  });

  it('draws the 104 MRCs, each assigned to one of the 17 regions', () => {
    const g = fitGeometry(mrcs, 600);
    expect(g.shapes).toHaveLength(104);
    const codes = new Set(regions.features.map((f) => f.properties.code));
    for (const f of mrcs.features) expect(codes.has(f.properties.region_code)).toBe(true);
  });

  it('close-up: the point is at the centre and boundaries are clipped to the view', () => {
    const [lon, lat] = [-72.9566, 45.6307]; // Saint-Hyacinthe
    const g = localGeometry(regions, lon, lat, 360, 240);
    const p = g.project(lon, lat)!;
    // Near the centre (the lon/lat box is slightly curved once projected).
    expect(Math.abs(p[0] - 180)).toBeLessThan(3);
    expect(Math.abs(p[1] - 120)).toBeLessThan(3);
    expect(g.shapes.length).toBeGreaterThan(0);
    expect(g.shapes.length).toBeLessThan(17); // far regions are clipped away entirely
    for (const s of g.shapes)
      for (const [x, y] of points(s.d)) {
        expect(x).toBeGreaterThanOrEqual(-0.01);
        expect(x).toBeLessThanOrEqual(360.01);
        expect(y).toBeGreaterThanOrEqual(-0.01);
        expect(y).toBeLessThanOrEqual(240.01);
      }
    expect(featureAt(regions, lon, lat)?.properties.code).toBe('16');
    expect(featureAt(mrcs, lon, lat)?.properties.region_code).toBe('16');
    expect(featureAt(regions, -60, 40)).toBeUndefined(); // Atlantic Ocean
  });

  it('names shapes in the UI language (regions) or by their one name (MRCs)', () => {
    expect(shapeNames(regions, 'fr').get('06')).toBe('Montréal');
    expect(shapeNames(regions, 'en').get('06')).toBe('Montreal');
    expect(shapeNames(mrcs, 'en').get(mrcs.features[0].properties.code)).toBe(
      mrcs.features[0].properties.name,
    );
    expect(shapeNames(null, 'fr').size).toBe(0);
  });
});

describe('count scale', () => {
  it('nice steps', () => {
    expect([0.2, 1, 1.2, 3, 7, 11, 40, 400].map(niceStep)).toEqual([1, 1, 2, 5, 10, 20, 50, 500]);
  });

  it('no class for an empty map; zero is white', () => {
    expect(countBins(0)).toEqual([]);
    expect(fillFor([], 0)).toBe(ZERO_FILL);
    expect(fillFor(countBins(10), 0)).toBe(ZERO_FILL);
  });

  it('few counts: one class per value, the largest the darkest', () => {
    const bins = countBins(3);
    expect(bins.map((b) => [b.min, b.max])).toEqual([
      [1, 1],
      [2, 2],
      [3, 3],
    ]);
    expect(bins[2].color).toBe(SEQUENTIAL[SEQUENTIAL.length - 1]);
    expect(countBins(1)[0].color).toBe(SEQUENTIAL[SEQUENTIAL.length - 1]);
  });

  it('every count 1..max falls in exactly one class, in increasing shade order', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 100_000 }), fc.nat(), (max, seed) => {
        const bins = countBins(max);
        expect(bins.length).toBeGreaterThan(0);
        expect(bins.length).toBeLessThanOrEqual(SEQUENTIAL.length);
        expect(bins[bins.length - 1].max).toBeGreaterThanOrEqual(max);
        const v = 1 + (seed % max);
        expect(bins.filter((b) => v >= b.min && v <= b.max)).toHaveLength(1);
        expect(binOf(bins, max)?.color).toBe(SEQUENTIAL[SEQUENTIAL.length - 1]);
        const order = bins.map((b) => SEQUENTIAL.indexOf(b.color as (typeof SEQUENTIAL)[number]));
        expect([...order].sort((a, b) => a - b)).toEqual(order);
      }),
    );
  });
});

describe('contract constants mirrored in the web', () => {
  it('match the API contract', () => {
    expect(SURVEILLANCE_LIMITS).toEqual(contract.SURVEILLANCE_LIMITS);
    expect(PUBLIC_MIN_CELL_COUNT).toBe(contract.PUBLIC_MIN_CELL_COUNT);
  });
});
