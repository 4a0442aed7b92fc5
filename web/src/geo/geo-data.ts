import type { FeatureCollection, Geometry } from 'geojson';

/**
 * Quebec boundaries (GEO_DIR, served by the API at /api/geo/*). One fetch per session; the
 * service worker keeps a copy (cache-first) so the maps and the on-device region assignment work
 * offline after the first visit.
 */
export interface RegionProps {
  code: string;
  name_fr: string;
  name_en: string;
}

export interface MrcProps {
  code: string;
  name: string;
  region_code: string;
}

export type Regions = FeatureCollection<Geometry, RegionProps>;
export type Mrcs = FeatureCollection<Geometry, MrcProps>;

let regions: Promise<Regions> | undefined;
let mrcs: Promise<Mrcs> | undefined;

async function fetchGeo<T>(path: string): Promise<T> {
  const res = await fetch(path, { credentials: 'same-origin' });
  if (!res.ok) throw new Error(`${path}: HTTP ${res.status}`);
  return (await res.json()) as T;
}

export function loadRegions(): Promise<Regions> {
  regions ??= fetchGeo<Regions>('/api/geo/regions').catch((err: unknown) => {
    regions = undefined; // let a later call retry (e.g. once back online)
    throw err;
  });
  return regions;
}

export function loadMrcs(): Promise<Mrcs> {
  mrcs ??= fetchGeo<Mrcs>('/api/geo/mrc').catch((err: unknown) => {
    mrcs = undefined;
    throw err;
  });
  return mrcs;
}
