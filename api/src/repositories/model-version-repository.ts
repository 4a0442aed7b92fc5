import type { Queryable } from '../db/types';

export function modelVersionRepository(db: Queryable) {
  return {
    /**
     * Records `version` as the one current model (others lose the flag). `trainedAt` (the
     * manifest's `created`) dates a version first seen at start-up by its training, not by the
     * moment this database learnt of it; a version already recorded keeps its date.
     */
    async setCurrent(version: string, metrics: unknown, trainedAt: string | null): Promise<void> {
      await db.query(
        'UPDATE model_versions SET is_current = false WHERE is_current AND version <> $1',
        [version],
      );
      await db.query(
        `INSERT INTO model_versions (version, metrics, status, is_current, created_at)
         VALUES ($1, $2::jsonb, 'active', true, COALESCE($3::timestamptz, now()))
         ON CONFLICT (version) DO UPDATE SET metrics = EXCLUDED.metrics, is_current = true,
           status = 'active'`,
        [version, metrics === undefined ? null : JSON.stringify(metrics), trainedAt],
      );
    },
  };
}
export type ModelVersionRepository = ReturnType<typeof modelVersionRepository>;
