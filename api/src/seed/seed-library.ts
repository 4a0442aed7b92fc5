import { readdir, readFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import type { Db } from '../db/types';
import { AppError } from '../errors';
import { mapConcurrent } from '../lib/map-concurrent';
import { sha256Hex } from '../media/image-processor';
import type { MediaService } from '../media/media-service';
import { createRepositories } from '../repositories';
import { readCatalog } from './catalog';
import { FACT_SHEETS_DIR, loadFactSheet } from './fact-sheets';

export interface SeedLogger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
}

export interface SeedOptions {
  imagebankDir: string;
  /** Defaults to api/src/seed/fact-sheets. */
  factSheetsDir?: string;
  /** Import at most this many images per class (first by file name). */
  maxImagesPerClass?: number;
  concurrency?: number;
  log?: SeedLogger;
}

export interface SeedReport {
  classes: number;
  entriesWritten: number;
  imagesImported: number;
  imagesAlreadyPresent: number;
  imagesFailed: number;
  missingFactSheets: string[];
  invalidFactSheets: string[];
  /** Entries the lab edited in the app: their files no longer overwrite them. */
  keptLabEdits: string[];
  durationMs: number;
}

/** The file names the image bank's class folders hold photos under. */
export const IMAGE_FILE = /\.(jpe?g|png|webp|heic|heif|avif)$/i;

const silent: SeedLogger = { info: () => undefined, warn: () => undefined };

/**
 * Fills the library from IMAGEBANK_DIR: one entry per catalog class (whatever the catalog holds)
 * with its fact sheet when one exists, and every image of the class folder, normalised through
 * the media module as a validated bank image. Idempotent: unchanged entries keep their revision,
 * images already present (same sha256 of the original bytes) are not processed again.
 */
export async function seedLibrary(
  db: Db,
  media: MediaService,
  options: SeedOptions,
): Promise<SeedReport> {
  const started = Date.now();
  const log = options.log ?? silent;
  const factSheetsDir = options.factSheetsDir ?? FACT_SHEETS_DIR;
  const repos = createRepositories(db);
  const classes = await readCatalog(options.imagebankDir);
  const slugs = new Set(classes.map((c) => c.slug));

  const report: SeedReport = {
    classes: classes.length,
    entriesWritten: 0,
    imagesImported: 0,
    imagesAlreadyPresent: 0,
    imagesFailed: 0,
    missingFactSheets: [],
    invalidFactSheets: [],
    keptLabEdits: [],
    durationMs: 0,
  };
  const edited = await repos.library.editedSlugs();

  for (const c of classes) {
    if (edited.has(c.slug)) {
      report.keptLabEdits.push(c.slug);
      continue;
    }
    const result = await loadFactSheet(factSheetsDir, c.slug);
    if (result.status === 'missing') report.missingFactSheets.push(c.slug);
    if (result.status === 'invalid') {
      report.invalidFactSheets.push(c.slug);
      log.warn({ slug: c.slug, problems: result.problems }, 'invalid fact sheet ignored');
    }
    const sheet = result.status === 'ok' ? result.sheet : null;
    const lookAlikes = (sheet?.lookAlikes ?? []).filter((s) => s !== c.slug);
    const unknown = lookAlikes.filter((s) => !slugs.has(s));
    if (unknown.length > 0)
      log.warn({ slug: c.slug, unknown }, 'look-alikes not in catalog dropped');
    const written = await repos.library.upsert({
      slug: c.slug,
      kind: c.kind,
      crop: c.crop,
      name: c.common_name,
      scientificName: c.scientific_name,
      factSheet: sheet ? { fr: sheet.fr, en: sheet.en } : null,
      lookAlikes: lookAlikes.filter((s) => slugs.has(s)),
    });
    if (written) report.entriesWritten++;
  }
  if (report.keptLabEdits.length > 0)
    log.info(
      { slugs: report.keptLabEdits },
      'entries edited by the lab in the app kept as they are',
    );
  if (report.missingFactSheets.length > 0) {
    log.warn(
      { count: report.missingFactSheets.length, slugs: report.missingFactSheets },
      'classes without a fact sheet (seeded with factSheet = null)',
    );
  }

  const known = await repos.bankImages.allSha256();
  const tasks: { slug: string; file: string; credit: string; licence: string }[] = [];
  for (const c of classes) {
    let files: string[];
    try {
      files = (await readdir(join(options.imagebankDir, c.slug))).filter((f) => IMAGE_FILE.test(f));
    } catch {
      log.warn({ slug: c.slug }, 'class folder missing: no images');
      continue;
    }
    files.sort();
    if (options.maxImagesPerClass !== undefined) files = files.slice(0, options.maxImagesPerClass);
    for (const file of files) {
      tasks.push({
        slug: c.slug,
        file,
        credit: c.source_repository ?? 'unknown source',
        licence: c.source_license ?? 'unknown licence',
      });
    }
  }

  const changedClasses = new Set<string>();
  const concurrency = options.concurrency ?? Math.max(2, availableParallelism());
  await mapConcurrent(tasks, concurrency, async (t) => {
    const path = join(options.imagebankDir, t.slug, t.file);
    const bytes = await readFile(path);
    const sha256 = sha256Hex(bytes);
    if (known.has(sha256)) {
      report.imagesAlreadyPresent++;
      return;
    }
    try {
      const stored = await media.ingest(bytes, sha256);
      const inserted = await repos.bankImages.insert({
        classSlug: t.slug,
        mediaKey: stored.key,
        sha256: stored.sha256,
        width: stored.width,
        height: stored.height,
        credit: t.credit,
        licence: t.licence,
        status: 'validated',
        source: `imagebank:${t.slug}/${t.file}`,
      });
      if (inserted) {
        known.add(sha256);
        report.imagesImported++;
        changedClasses.add(t.slug);
      } else {
        report.imagesAlreadyPresent++;
      }
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
      report.imagesFailed++;
      log.warn({ path, code: err.code }, 'image skipped');
    }
    const done = report.imagesImported + report.imagesAlreadyPresent + report.imagesFailed;
    if (done % 250 === 0) log.info({ done, total: tasks.length }, 'importing image bank');
  });

  // The sync payload carries image lists: entries that gained images get a new revision.
  for (const slug of changedClasses) await repos.library.touch(slug);

  report.durationMs = Date.now() - started;
  return report;
}
