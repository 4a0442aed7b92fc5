import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { FeatureCollection, Geometry } from 'geojson';
import { createPointLookup } from './point-lookup';

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

/** A GeoJSON file as served: its bytes and a strong ETag (content hash). */
export interface GeoFile {
  body: Buffer;
  etag: string;
}

export interface QuebecGeo {
  regionsFile: GeoFile;
  mrcFile: GeoFile;
  /** Region code ("01".."17") holding the point, null outside Quebec. */
  regionOf(lon: number, lat: number): string | null;
  /** MRC / equivalent territory code holding the point, null outside (or over open water). */
  mrcOf(lon: number, lat: number): string | null;
  /** Region of an MRC code, null for an unknown code. */
  regionOfMrc(mrcCode: string): string | null;
}

export const REGIONS_FILE = 'quebec-regions.geojson';
export const MRC_FILE = 'quebec-mrc.geojson';

async function readGeo<P>(
  path: string,
): Promise<{ file: GeoFile; data: FeatureCollection<Geometry, P> }> {
  const body = await readFile(path);
  const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`;
  return {
    file: { body, etag },
    data: JSON.parse(body.toString('utf8')) as FeatureCollection<Geometry, P>,
  };
}

/** Reads both layers of GEO_DIR and indexes them for point lookups. */
export async function loadQuebecGeo(geoDir: string): Promise<QuebecGeo> {
  const [regions, mrcs] = await Promise.all([
    readGeo<RegionProps>(join(geoDir, REGIONS_FILE)),
    readGeo<MrcProps>(join(geoDir, MRC_FILE)),
  ]);
  const region = createPointLookup(regions.data);
  const mrc = createPointLookup(mrcs.data);
  const mrcRegions = new Map(
    mrcs.data.features.map((f) => [f.properties.code, f.properties.region_code]),
  );
  return {
    regionsFile: regions.file,
    mrcFile: mrcs.file,
    regionOf: (lon, lat) => region(lon, lat)?.code ?? null,
    mrcOf: (lon, lat) => mrc(lon, lat)?.code ?? null,
    regionOfMrc: (code) => mrcRegions.get(code) ?? null,
  };
}

/** Loads GEO_DIR once, on first use (start-up does not pay for it), and keeps it. */
export function createGeoService(geoDir: string) {
  let loaded: Promise<QuebecGeo> | undefined;
  return {
    get(): Promise<QuebecGeo> {
      loaded ??= loadQuebecGeo(geoDir).catch((err: unknown) => {
        loaded = undefined; // a later call may retry (e.g. the volume was mounted late)
        throw err;
      });
      return loaded;
    },
  };
}
export type GeoService = ReturnType<typeof createGeoService>;
