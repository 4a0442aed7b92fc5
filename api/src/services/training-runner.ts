import { createWriteStream } from 'node:fs';
import { mkdir, readFile, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import {
  gateModel,
  newVersion,
  rescoreVersion,
  trainAndExportInThread,
  withVanishedClasses,
  type ClassInfo,
  type GateMetrics,
  type Sample,
  type ThreadTrained,
} from '@phytodiag/model/retrain';
import type { Db } from '../db/types';
import type { MediaService } from '../media/media-service';
import { variantKey } from '../media/media-keys';
import {
  TRAINING_HEARTBEAT_MS,
  trainingJobRepository,
} from '../repositories/training-job-repository';
import { MIN_TRAINING_IMAGES_PER_CLASS } from '../contract/training';
import type { GateReport, TrainingOutcome } from '../contract/training';
import { readTestMetrics, writeCurrentPointer } from './training-models';

/** Training knobs; tests shrink them (few epochs, no augmentation) to stay fast. */
export interface TrainingOptions {
  epochs?: number;
  augment?: boolean;
  /** Embedding worker threads (0 = in-process). */
  workers?: number;
}

export interface TrainingRunnerDeps {
  db: Db;
  media: MediaService;
  modelDir: string;
  backboneDir: string;
  cacheDir: string;
  options?: TrainingOptions;
  log: {
    info(obj: object, msg: string): void;
    warn(obj: object, msg: string): void;
    error(obj: object, msg: string): void;
  };
}

export interface RunResult {
  requestId: string;
  status: 'succeeded' | 'rejected' | 'failed';
  outcome: TrainingOutcome | null;
  error: string | null;
}

type TrainedResult = ThreadTrained['result'];
type GateBasis = NonNullable<GateReport['basis']>;

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}

/**
 * The retraining job: claim the queued request → train on every VALIDATED bank image → export
 * into a staging folder → non-regression gate → publish (current.json + model_versions) or keep
 * as rejected. The same code runs under pg-boss (PostgreSQL) and the in-process loop (PGlite).
 */
export function createTrainingRunner(deps: TrainingRunnerDeps) {
  const { db, media, modelDir, backboneDir, cacheDir, log } = deps;
  const repo = trainingJobRepository(db);
  // One job per process; across processes the row claim refuses a second running request.
  let busy = false;

  /**
   * Training reads files: stored images are copied once, by content key, next to the embedding
   * cache (the media store may not be a local disk).
   */
  async function materialise(mediaKey: string): Promise<string | null> {
    const dir = join(cacheDir, 'bank-images', mediaKey.slice(0, 2));
    const path = join(dir, `${mediaKey}.jpg`);
    if (await exists(path)) return path;
    const file = await media.store.open(variantKey(mediaKey, 'full'));
    if (!file) return null;
    await mkdir(dir, { recursive: true });
    const tmp = `${path}.${process.pid}.tmp`;
    await pipeline(file.stream, createWriteStream(tmp));
    await rename(tmp, path);
    return path;
  }

  async function currentVersion(): Promise<string | null> {
    try {
      const p = JSON.parse(await readFile(join(modelDir, 'current.json'), 'utf8')) as {
        version?: unknown;
      };
      return typeof p.version === 'string' ? p.version : null;
    } catch {
      return null;
    }
  }

  /**
   * The served version's numbers to gate against: re-scored on the candidate's own test photos
   * when their embeddings are comparable (same backbone), else the metrics it recorded.
   */
  async function baselineFor(
    version: string,
    result: TrainedResult,
  ): Promise<{ baseline: GateMetrics | null; basis?: GateBasis; note?: string }> {
    const recorded = (await readTestMetrics(modelDir, version)) as GateMetrics | null;
    const rows = result.items
      .filter((i) => i.split === 'test')
      .map((i) => ({ slug: result.labels[i.label], embedding: i.embedding }));
    const rescored = await rescoreVersion(join(modelDir, version), result.backbone.hash, rows);
    if (rescored.metrics) {
      return {
        baseline: withVanishedClasses(rescored.metrics, recorded),
        basis: 'same-photos',
        note: `both versions scored on the same ${rows.length} test photos`,
      };
    }
    if (!recorded) return { baseline: null };
    return {
      baseline: recorded,
      basis: 'recorded',
      note: `${rescored.reason}: compared with its recorded test metrics (${recorded.n} photos)`,
    };
  }

  async function train(requestId: string): Promise<TrainingOutcome> {
    const t0 = Date.now();
    const rows = await repo.validatedSamples();
    const counts = new Map<string, number>();
    for (const r of rows) counts.set(r.classSlug, (counts.get(r.classSlug) ?? 0) + 1);
    const classes: ClassInfo[] = [];
    const samples: Sample[] = [];
    for (const r of rows) {
      if ((counts.get(r.classSlug) ?? 0) < MIN_TRAINING_IMAGES_PER_CLASS) continue;
      if (!classes.some((c) => c.slug === r.classSlug)) {
        classes.push({ slug: r.classSlug, kind: r.kind, crop: r.crop });
      }
      const path = await materialise(r.mediaKey);
      if (path) samples.push({ slug: r.classSlug, path });
    }
    if (classes.length < 2) throw new Error('fewer than 2 classes with enough validated images');

    // Unique per request: two retrains in the same second never collide.
    const version = `${newVersion()}-r${requestId.slice(0, 8)}`;
    // Exported beside MODEL_DIR, then moved in: the served pointer is never touched by training,
    // and the dot-folder is not a valid version name so it is never served half-written.
    const staging = join(modelDir, `.staging-${requestId}`);
    const opts = deps.options ?? {};
    // In a thread of its own: fitting and exporting would hold the API's event loop for tens
    // of seconds, and every producer and specialist with it.
    const trained = await trainAndExportInThread(
      {
        samples,
        classes,
        modelDir: staging,
        version,
        backboneDir,
        cacheDir,
        augment: opts.augment,
        workers: opts.workers,
        head: opts.epochs === undefined ? undefined : { epochs: opts.epochs },
      },
      (m) => log.info({ requestId }, m),
      (m) => log.info({ requestId }, `warning: ${m}`),
    );
    await mkdir(modelDir, { recursive: true });
    await rename(trained.dir, join(modelDir, version));
    await rm(staging, { recursive: true, force: true });

    const baselineVersion = await currentVersion();
    const { baseline, basis, note } = baselineVersion
      ? await baselineFor(baselineVersion, trained.result)
      : { baseline: null, basis: undefined, note: undefined };
    const verdict = gateModel(trained.result.metrics.test, baseline);
    const gate: GateReport = {
      ...verdict,
      baselineVersion: baseline ? baselineVersion : null,
      ...(basis ? { basis } : {}),
      ...(note ? { note } : {}),
    };
    const outcome: TrainingOutcome = {
      version,
      published: gate.passed,
      images: samples.length,
      classes: classes.length,
      seconds: Math.round((Date.now() - t0) / 100) / 10,
      gate,
    };
    await db.transaction(async (tx) => {
      const r = trainingJobRepository(tx);
      await r.insertVersion({
        version,
        status: gate.passed ? 'published' : 'rejected',
        metrics: trained.result.metrics.test,
        gate,
        trainingRequestId: requestId,
      });
      if (gate.passed) {
        await r.makeCurrent(version);
        // Last: if it fails the transaction rolls back and the old version stays served.
        await writeCurrentPointer(modelDir, version);
      }
    });
    return outcome;
  }

  return {
    /** Runs the queued request if there is one and none is running; null when nothing ran. */
    async runNext(): Promise<RunResult | null> {
      if (busy) return null;
      busy = true;
      try {
        const recovered = await repo.recoverStale();
        if (recovered > 0) log.warn({ recovered }, 'interrupted retraining requeued');
        const claimed = await repo.claimExclusive();
        if (!claimed) return null;
        log.info({ requestId: claimed.id, newImages: claimed.newImages }, 'retraining started');
        const alive = setInterval(
          () => void repo.heartbeat(claimed.id).catch(() => undefined),
          TRAINING_HEARTBEAT_MS,
        );
        try {
          const outcome = await train(claimed.id);
          const status = outcome.published ? 'succeeded' : 'rejected';
          await repo.finish(claimed.id, status, outcome);
          log.info({ requestId: claimed.id, ...outcome }, `retraining ${status}`);
          return { requestId: claimed.id, status, outcome, error: null };
        } catch (err) {
          const error = err instanceof Error ? err.message : String(err);
          await repo.finish(claimed.id, 'failed', null, error);
          log.error({ requestId: claimed.id, err }, 'retraining failed');
          return { requestId: claimed.id, status: 'failed', outcome: null, error };
        } finally {
          clearInterval(alive);
        }
      } finally {
        busy = false;
      }
    },
  };
}
export type TrainingRunner = ReturnType<typeof createTrainingRunner>;
