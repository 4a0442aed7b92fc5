import { readFile, rename, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Db } from '../db/types';
import { AppError } from '../errors';
import { modelVersionRepository } from '../repositories/model-version-repository';
import { trainingJobRepository } from '../repositories/training-job-repository';
import { trainedAt } from './model-service';
import type { GateReport, ModelVersionList } from '../contract/training';

const VERSION = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;

/** Moves MODEL_DIR/current.json atomically (write + rename): readers never see half a file. */
export async function writeCurrentPointer(modelDir: string, version: string): Promise<void> {
  const tmp = join(modelDir, `current.json.${process.pid}.${Date.now()}.tmp`);
  await writeFile(tmp, JSON.stringify({ version }));
  await rename(tmp, join(modelDir, 'current.json'));
}

/** The test-split metrics a version recorded at training, or null (absent or unreadable). */
export async function readTestMetrics(modelDir: string, version: string): Promise<unknown> {
  try {
    const m = JSON.parse(await readFile(join(modelDir, version, 'metrics.json'), 'utf8')) as {
      test?: unknown;
    };
    return m.test ?? null;
  } catch {
    return null;
  }
}

/** The version MODEL_DIR/current.json points to, or null. */
async function servedVersion(modelDir: string): Promise<string | null> {
  try {
    const p = JSON.parse(await readFile(join(modelDir, 'current.json'), 'utf8')) as {
      version?: unknown;
    };
    return typeof p.version === 'string' && VERSION.test(p.version) ? p.version : null;
  } catch {
    return null;
  }
}

/** Trained versions (published and rejected) and the admin's rollback. */
export function createModelVersionsService(deps: { db: Db; modelDir: string }) {
  const { db, modelDir } = deps;
  const repo = trainingJobRepository(db);

  /**
   * current.json is what devices get (read on every manifest request), so a model exported while
   * the API runs (`npm run model:train`) is served at once; without this the list would still
   * call the previous version current and never offer a rollback from the new one.
   */
  async function recordServed(): Promise<void> {
    const version = await servedVersion(modelDir);
    if (!version) return;
    const known = await repo.getVersion(version);
    if (known?.isCurrent) return;
    let created: unknown;
    try {
      created = (
        JSON.parse(await readFile(join(modelDir, version, 'manifest.json'), 'utf8')) as {
          created?: unknown;
        }
      ).created;
    } catch {
      return;
    }
    if (known) await repo.makeCurrent(version);
    else
      await modelVersionRepository(db).setCurrent(
        version,
        await readTestMetrics(modelDir, version),
        trainedAt(created),
      );
  }

  return {
    async list(): Promise<ModelVersionList> {
      await recordServed();
      const items = await repo.listVersions();
      return {
        items: items.map((v) => ({
          version: v.version,
          status: v.status === 'rejected' ? 'rejected' : 'published',
          current: v.isCurrent,
          createdAt: v.createdAt,
          metrics: v.metrics ?? null,
          // Written by the runner from a GateReport (see training-runner.ts).
          gate: (v.gate ?? null) as GateReport | null,
          trainingRequestId: v.trainingRequestId,
        })),
      };
    },

    /**
     * Serves an earlier published version again. Its files never changed (immutable URLs), so
     * devices that still hold it switch back without downloading anything.
     */
    async rollback(version: string): Promise<void> {
      const found = await repo.getVersion(version);
      if (!found) throw new AppError('NOT_FOUND');
      if (found.status === 'rejected') throw new AppError('MODEL_VERSION_REJECTED');
      try {
        await stat(join(modelDir, version, 'manifest.json'));
      } catch {
        throw new AppError('MODEL_NOT_AVAILABLE');
      }
      await db.transaction(async (tx) => {
        if (!(await trainingJobRepository(tx).makeCurrent(version))) {
          throw new AppError('MODEL_VERSION_REJECTED');
        }
        await writeCurrentPointer(modelDir, version);
      });
    },
  };
}
export type ModelVersionsService = ReturnType<typeof createModelVersionsService>;
