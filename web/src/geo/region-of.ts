import { geoBounds, geoContains } from 'd3-geo';
import type { Feature, FeatureCollection, Geometry } from 'geojson';
import type { MrcProps, RegionProps } from './geo-data';

/**
 * On-device region assignment: which Quebec region / MRC holds a point. Runs on the device so a
 * detection report carries only codes, never the coordinates (law 25: minimal data leaves).
 * The GeoJSON rings are d3-wound (see GEO_DIR/SOURCE.md), so geoContains works on them directly.
 */
interface Indexed<P> {
  feature: Feature<Geometry, P>;
  /** [west, south, east, north] in degrees: a cheap prefilter before the spherical test. */
  box: [number, number, number, number];
}

export interface GeoIndex<P> {
  items: Indexed<P>[];
}

export function indexFeatures<P>(fc: FeatureCollection<Geometry, P>): GeoIndex<P> {
  return {
    items: fc.features.map((feature) => {
      const [[w, s], [e, n]] = geoBounds(feature.geometry);
      return { feature, box: [w, s, e, n] };
    }),
  };
}

/** The first feature containing [lon, lat], or null (outside every polygon). */
export function featureAt<P>(index: GeoIndex<P>, lon: number, lat: number): P | null {
  if (!Number.isFinite(lon) || !Number.isFinite(lat)) return null;
  for (const { feature, box } of index.items) {
    // Quebec never crosses the antimeridian, so a plain box test is exact enough here.
    if (lon < box[0] || lon > box[2] || lat < box[1] || lat > box[3]) continue;
    if (geoContains(feature.geometry, [lon, lat])) return feature.properties;
  }
  return null;
}

export interface Place {
  regionCode: string | null;
  mrcCode: string | null;
}

/**
 * Region and MRC of a point. The two layers come from different sources and were simplified
 * separately, so near a border they may disagree: the MRC is kept only when it belongs to the
 * region found (the server refuses an MRC outside its region). Both layers include the waters
 * of the estuary and gulf, so a point on the river gets its shore's region.
 */
export function placeOf(
  regions: GeoIndex<RegionProps>,
  mrcs: GeoIndex<MrcProps> | null,
  lon: number,
  lat: number,
): Place {
  const region = featureAt(regions, lon, lat);
  const mrc = mrcs ? featureAt(mrcs, lon, lat) : null;
  if (!region) return { regionCode: mrc?.region_code ?? null, mrcCode: mrc?.code ?? null };
  return {
    regionCode: region.code,
    mrcCode: mrc && mrc.region_code === region.code ? mrc.code : null,
  };
}
