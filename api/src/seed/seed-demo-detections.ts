import type { AppConfig } from '../config';
import type { Db } from '../db/types';
import { weekOf } from '../lib/iso-week';
import { generatorClasses, loadDetections, readMrcs } from './load-detections';

/**
 * Demo only: fills an EMPTY detections table with two years of synthetic, seasonal detections
 * (the generator of `npm run db:generate-detections`), so a new user's surveillance map, series
 * and public page are not blank. Never touches a database that already holds detections.
 */
export async function seedDemoDetections(
  db: Db,
  config: Pick<AppConfig, 'demoDetections' | 'imagebankDir' | 'geoDir' | 'serviceTimezone'>,
): Promise<number> {
  if (config.demoDetections === 0) return 0;
  const existing = await db.one<{ any: boolean }>(
    'SELECT EXISTS (SELECT 1 FROM detections) AS any',
  );
  if (existing.any) return 0;
  return loadDetections(db, {
    seed: 1,
    count: config.demoDetections,
    classes: await generatorClasses(db, config.imagebankDir),
    mrcs: await readMrcs(config.geoDir),
    lastWeek: weekOf(new Date(), config.serviceTimezone),
    weeks: 104,
  });
}
