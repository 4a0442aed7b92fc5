import type { Queryable } from '../db/types';

export function modelVersionRepository(db: Queryable) {
  return {
    /** Records `version` as the one current model (others lose the flag). */
    async setCurrent(version: string, metrics: unknown): Promise<void> {
      await db.query(
        'UPDATE model_versions SET is_current = false WHERE is_current AND version <> $1',
        [version],
      );
      await db.query(
        `INSERT INTO model_versions (version, metrics, status, is_current)
         VALUES ($1, $2::jsonb, 'active', true)
         ON CONFLICT (version) DO UPDATE SET metrics = EXCLUDED.metrics, is_current = true,
           status = 'active'`,
        [version, metrics === undefined ? null : JSON.stringify(metrics)],
      );
    },
  };
}
export type ModelVersionRepository = ReturnType<typeof modelVersionRepository>;
