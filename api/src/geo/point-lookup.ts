import { geoBounds, geoContains } from 'd3-geo';
import type { Feature, FeatureCollection, GeoJsonProperties, Geometry } from 'geojson';

interface Indexed<P extends GeoJsonProperties> {
  props: P;
  feature: Feature<Geometry, P>;
  /** [west, south, east, north] in degrees. */
  box: [number, number, number, number];
}

/**
 * Which feature of a collection holds a point. geoContains walks every ring (slow on detailed
 * polygons), so a bounding-box test rules out most features first. Rings are wound the d3 way
 * (see GEO_DIR/SOURCE.md), which geoContains needs. None of Quebec crosses the antimeridian, so
 * plain min/max boxes are exact enough for a prefilter.
 */
export function createPointLookup<P extends GeoJsonProperties>(
  collection: FeatureCollection<Geometry, P>,
) {
  const items: Indexed<P>[] = collection.features.map((feature) => {
    const [[west, south], [east, north]] = geoBounds(feature);
    return { props: feature.properties, feature, box: [west, south, east, north] };
  });
  return (lon: number, lat: number): P | null => {
    if (!Number.isFinite(lon) || !Number.isFinite(lat)) return null;
    for (const item of items) {
      const [west, south, east, north] = item.box;
      if (lon < west || lon > east || lat < south || lat > north) continue;
      if (geoContains(item.feature, [lon, lat])) return item.props;
    }
    return null;
  };
}
