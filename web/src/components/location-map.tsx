import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { loadMrcs, loadRegions, type Mrcs, type Regions } from '../geo/geo-data';
import { featureAt, localGeometry } from '../geo/map-geometry';
import { useLang } from '../state/library-hooks';
import './map.css';

const W = 360;
const H = 240;
const SCALE_KM = 20;
const KM_PER_DEG_LAT = 111.32;

/**
 * Close-up map of a case's exact location (specialist screens only: the location is private):
 * the region around it, MRC boundaries dashed, a marker, the GPS accuracy circle and a 20 km
 * scale. The coordinates stay printed beside it as text (the accessible, copyable form).
 */
export function LocationMap({
  lat,
  lon,
  accuracyM,
}: {
  lat: number;
  lon: number;
  accuracyM?: number;
}) {
  const { t } = useTranslation();
  const lang = useLang();
  const [geo, setGeo] = useState<{ regions: Regions; mrcs: Mrcs } | null>(null);
  const [failed, setFailed] = useState(false);

  useEffect(() => {
    let live = true;
    Promise.all([loadRegions(), loadMrcs()])
      .then(([regions, mrcs]) => live && setGeo({ regions, mrcs }))
      .catch(() => live && setFailed(true));
    return () => {
      live = false;
    };
  }, []);

  const view = useMemo(() => {
    if (!geo) return null;
    const regions = localGeometry(geo.regions, lon, lat, W, H);
    const mrcs = localGeometry(geo.mrcs, lon, lat, W, H);
    const region = featureAt(geo.regions, lon, lat)?.properties;
    const mrc = featureAt(geo.mrcs, lon, lat)?.properties;
    const at = regions.project(lon, lat);
    const north = accuracyM ? regions.project(lon, lat + accuracyM / 1000 / KM_PER_DEG_LAT) : null;
    const east = regions.project(
      lon + SCALE_KM / (KM_PER_DEG_LAT * Math.cos((lat * Math.PI) / 180)),
      lat,
    );
    return {
      regions,
      mrcs,
      region,
      mrc,
      at,
      accuracyPx: at && north ? Math.abs(at[1] - north[1]) : 0,
      scalePx: at && east ? Math.abs(east[0] - at[0]) : 0,
    };
  }, [geo, lat, lon, accuracyM]);

  if (failed) return <p className="meta">{t('map.unavailable')}</p>;
  if (!view) return <p className="meta">{t('app.loading')}</p>;
  const regionName = view.region
    ? lang === 'en'
      ? view.region.name_en
      : view.region.name_fr
    : null;
  const where = [
    view.mrc ? t('map.mrcOf', { name: view.mrc.name }) : null,
    regionName ? t('map.regionOf', { name: regionName }) : null,
  ]
    .filter(Boolean)
    .join(', ');
  const label = t('map.locationLabel', {
    lat: lat.toFixed(5),
    lon: lon.toFixed(5),
    where: where || t('map.outside'),
  });
  return (
    <figure className="map-figure" data-testid="location-map">
      <svg className="location-map" viewBox={`0 0 ${W} ${H}`} role="img" aria-label={label}>
        {view.regions.shapes.map((s) => (
          <path
            key={s.code}
            d={s.d}
            className={`map-shape ${s.code === view.region?.code ? 'home' : ''}`}
          />
        ))}
        {view.mrcs.shapes.map((s) => (
          <path key={s.code} d={s.d} className="mrc-line" />
        ))}
        {view.at && (
          <>
            {view.accuracyPx > 3 && (
              <circle
                className="location-accuracy"
                cx={view.at[0]}
                cy={view.at[1]}
                r={view.accuracyPx}
              />
            )}
            <circle
              className="location-marker"
              cx={view.at[0]}
              cy={view.at[1]}
              r={7}
              data-testid="location-marker"
            />
          </>
        )}
        {view.scalePx > 0 && (
          <g transform={`translate(12 ${H - 14})`}>
            <rect x={-4} y={-18} width={view.scalePx + 8} height={26} fill="#fff" opacity={0.85} />
            <line x1={0} y1={0} x2={view.scalePx} y2={0} stroke="#000" strokeWidth={3} />
            <text x={0} y={-5} fontSize={12} fill="#000">
              {SCALE_KM} km
            </text>
          </g>
        )}
      </svg>
      <figcaption>{where || t('map.outside')}</figcaption>
    </figure>
  );
}
