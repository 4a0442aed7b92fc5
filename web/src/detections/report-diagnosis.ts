import type { PhytoDb } from '../db/db';
import type { DiagnosisRow, SettingsRow } from '../db/types';
import { loadMrcs, loadRegions } from '../geo/geo-data';
import { indexFeatures, placeOf, type GeoIndex, type Place } from '../geo/region-of';
import type { MrcProps, RegionProps } from '../geo/geo-data';
import { buildReport } from './build-report';
import { queueDetection } from './detection-repo';

let indexes: Promise<{ regions: GeoIndex<RegionProps>; mrcs: GeoIndex<MrcProps> | null }> | null =
  null;

function geoIndexes() {
  indexes ??= (async () => {
    const regions = indexFeatures(await loadRegions());
    // MRC are a refinement: without them (not cached yet) the region alone is still right.
    const mrcs = await loadMrcs()
      .then(indexFeatures)
      .catch(() => null);
    return { regions, mrcs };
  })().catch((err: unknown) => {
    indexes = null; // retry on the next diagnosis (e.g. once online)
    throw err;
  });
  return indexes;
}

/**
 * Download the boundaries while online (the service worker keeps them), so that a diagnosis made
 * offline later can still be placed in its region.
 */
export function warmGeo(settings: SettingsRow): void {
  if (settings.consentLocation && settings.consentShareDetections && navigator.onLine)
    void geoIndexes().catch(() => undefined);
}

/** One GPS fix, only ever called with the location consent on. A recent fix is good enough. */
export function currentPosition(timeoutMs = 10_000): Promise<{ lat: number; lon: number } | null> {
  if (!('geolocation' in navigator)) return Promise.resolve(null);
  return new Promise((resolve) =>
    navigator.geolocation.getCurrentPosition(
      (pos) => resolve({ lat: pos.coords.latitude, lon: pos.coords.longitude }),
      () => resolve(null),
      { enableHighAccuracy: false, maximumAge: 10 * 60_000, timeout: timeoutMs },
    ),
  );
}

/**
 * Region of a diagnosis, computed on the device: from the photo's GPS or a GPS fix when the
 * location consent is on, else the profile's region. The coordinates stay in this function.
 */
export async function placeForDiagnosis(d: DiagnosisRow, settings: SettingsRow): Promise<Place> {
  const fallback: Place = { regionCode: settings.regionCode, mrcCode: null };
  if (!settings.consentLocation) return fallback;
  const point = d.location ?? (await currentPosition());
  if (!point) return fallback;
  try {
    const { regions, mrcs } = await geoIndexes();
    const place = placeOf(regions, mrcs, point.lon, point.lat);
    // Outside Quebec (or on the gulf): the profile's region says more than nothing.
    return place.regionCode ? place : fallback;
  } catch {
    return fallback; // boundaries never downloaded and offline
  }
}

/** After an on-device diagnosis: queue its report when this signed-in person opted in. */
export async function reportDiagnosis(
  db: PhytoDb,
  d: DiagnosisRow,
  settings: SettingsRow,
  userId: string | null,
): Promise<boolean> {
  if (!userId || !settings.consentShareDetections) return false;
  const place = await placeForDiagnosis(d, settings);
  await queueDetection(db, userId, buildReport(d, place));
  return true;
}
