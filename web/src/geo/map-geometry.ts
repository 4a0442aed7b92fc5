import { geoConicConformal, geoContains, geoPath, type GeoProjection } from 'd3-geo';
import type { Feature, FeatureCollection, Geometry, Polygon } from 'geojson';

/**
 * Pure map geometry (no DOM): SVG path strings of Quebec boundaries in a fixed-size viewBox.
 * Computing ~13,000 vertices into path strings is the costly part of drawing a map, so results are
 * memoised per (feature collection, size): re-renders, filter changes and new counts reuse them.
 */

export interface MapShape {
  code: string;
  /** SVG path data in viewBox units. */
  d: string;
  /** Where a label or marker for this shape would go (planar centroid), viewBox units. */
  centroid: [number, number];
}

export interface MapGeometry {
  width: number;
  height: number;
  shapes: MapShape[];
  /** [x, y] in viewBox units; null when the point is outside the projection's clip. */
  project: (lon: number, lat: number) => [number, number] | null;
}

type CodedCollection = FeatureCollection<Geometry, { code: string }>;

/**
 * Quebec Lambert (EPSG:32198 parameters): conformal conic, standard parallels 46° and 60°,
 * central meridian 68.5° W. Shapes look as on the government's maps and north stays up.
 */
export function quebecProjection(): GeoProjection {
  return geoConicConformal().parallels([46, 60]).rotate([68.5, 0]);
}

function shapesOf(fc: CodedCollection, projection: GeoProjection): MapShape[] {
  const path = geoPath(projection);
  const shapes: MapShape[] = [];
  for (const f of fc.features) {
    const d = path(f);
    // A feature entirely outside a clipped view has no path: nothing to draw or focus.
    if (!d) continue;
    const [x, y] = path.centroid(f);
    shapes.push({ code: f.properties.code, d, centroid: [round(x), round(y)] });
  }
  return shapes;
}

const round = (v: number) => Math.round(v * 10) / 10;

function projector(projection: GeoProjection) {
  return (lon: number, lat: number): [number, number] | null => {
    const p = projection([lon, lat]);
    return p ? [round(p[0]), round(p[1])] : null;
  };
}

const whole = new WeakMap<object, Map<string, MapGeometry>>();

/**
 * The whole territory fitted to `width` (the height follows the territory's shape), `pad` units
 * of margin on each side. Memoised per (fc, width, pad).
 */
export function fitGeometry(fc: CodedCollection, width: number, pad = 8): MapGeometry {
  let bySize = whole.get(fc);
  if (!bySize) whole.set(fc, (bySize = new Map()));
  const key = `${width}:${pad}`;
  const hit = bySize.get(key);
  if (hit) return hit;

  const projection = quebecProjection().fitWidth(width - 2 * pad, fc);
  const [[, y0], [, y1]] = geoPath(projection).bounds(fc);
  const height = Math.ceil(y1 - y0) + 2 * pad;
  // Shift so the territory sits at (pad, pad): fitWidth leaves its top wherever it falls.
  const [tx, ty] = projection.translate();
  projection.translate([tx + pad, ty - y0 + pad]);
  const geometry: MapGeometry = {
    width,
    height,
    shapes: shapesOf(fc, projection),
    project: projector(projection),
  };
  bySize.set(key, geometry);
  return geometry;
}

/** A lon/lat box around a point, as a polygon d3 can fit (clockwise exterior ring, d3's way). */
export function boxAround(lon: number, lat: number, halfLon: number, halfLat: number): Polygon {
  const w = lon - halfLon;
  const e = lon + halfLon;
  const s = lat - halfLat;
  const n = lat + halfLat;
  return {
    type: 'Polygon',
    coordinates: [
      [
        [w, s],
        [w, n],
        [e, n],
        [e, s],
        [w, s],
      ],
    ],
  };
}

const local = new WeakMap<object, Map<string, MapGeometry>>();

/**
 * A close-up of `fc` centred on (lon, lat): about ±`halfLon`° × ±`halfLat`°, in a
 * width × height viewBox, clipped to it (only the visible part of each boundary is output).
 */
export function localGeometry(
  fc: CodedCollection,
  lon: number,
  lat: number,
  width: number,
  height: number,
  halfLon = 1.2,
  halfLat = 0.6,
): MapGeometry {
  let byView = local.get(fc);
  if (!byView) local.set(fc, (byView = new Map()));
  const key = `${lon}:${lat}:${width}:${height}:${halfLon}:${halfLat}`;
  const hit = byView.get(key);
  if (hit) return hit;

  const projection = geoConicConformal()
    .parallels([46, 60])
    .rotate([-lon, 0])
    .fitSize([width, height], boxAround(lon, lat, halfLon, halfLat))
    .clipExtent([
      [0, 0],
      [width, height],
    ]);
  const geometry: MapGeometry = {
    width,
    height,
    shapes: shapesOf(fc, projection),
    project: projector(projection),
  };
  byView.set(key, geometry);
  return geometry;
}

/** Code of the feature containing the point (d3 spherical test, rings already d3-wound). */
export function featureAt<P extends { code: string }>(
  fc: FeatureCollection<Geometry, P>,
  lon: number,
  lat: number,
): Feature<Geometry, P> | undefined {
  return fc.features.find((f) => geoContains(f, [lon, lat]));
}
