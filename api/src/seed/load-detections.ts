import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Db } from '../db/types';
import { MRC_FILE } from '../geo/quebec-geo';
import { createRepositories } from '../repositories';
import { readCatalog } from './catalog';
import {
  generateDetections,
  type GeneratorClass,
  type GeneratorOptions,
} from './detection-generator';

/** MRC codes and their region, from GEO_DIR. */
export async function readMrcs(geoDir: string): Promise<{ code: string; regionCode: string }[]> {
  const data = JSON.parse(await readFile(join(geoDir, MRC_FILE), 'utf8')) as {
    features: { properties: { code: string; region_code: string } }[];
  };
  return data.features.map((f) => ({
    code: f.properties.code,
    regionCode: f.properties.region_code,
  }));
}

/** The library's classes; the image-bank catalog when the library is not seeded yet. */
export async function generatorClasses(db: Db, imagebankDir: string): Promise<GeneratorClass[]> {
  const rows = await db.query<GeneratorClass>(
    'SELECT slug, kind, crop_fr AS crop FROM library_entries ORDER BY slug',
  );
  if (rows.length > 0) return rows;
  return (await readCatalog(imagebankDir)).map((c) => ({
    slug: c.slug,
    kind: c.kind,
    crop: c.crop.fr,
  }));
}

/**
 * Bulk load: raw rows in multi-row batches (one INSERT … SELECT unnest per batch), then both
 * rollups rebuilt with one INSERT … SELECT … GROUP BY, in one transaction with the rebuild so the
 * dashboards never see raw rows without their counts.
 */
export async function loadDetections(
  db: Db,
  options: GeneratorOptions,
  batchSize = 5000,
  onProgress?: (done: number) => void,
): Promise<number> {
  let done = 0;
  await db.transaction(async (tx) => {
    const repos = createRepositories(tx);
    for (const batch of generateDetections(options, batchSize)) {
      await repos.detections.insertRawMany(batch);
      done += batch.length;
      onProgress?.(done);
    }
    await repos.detections.rebuildRollups();
  });
  return done;
}
