import type { Queryable } from '../db/types';

export type ModelVersionStatus = 'active' | 'retired' | 'published' | 'rejected';

export interface ModelVersionRecord {
  version: string;
  status: ModelVersionStatus;
  isCurrent: boolean;
  metrics: unknown;
  gate: unknown;
  trainingRequestId: string | null;
  createdAt: string;
}

interface VersionRow {
  version: string;
  status: ModelVersionStatus;
  is_current: boolean;
  metrics: unknown;
  gate: unknown;
  training_request_id: string | null;
  created_at: Date;
}

export interface TrainingSampleRow {
  classSlug: string;
  mediaKey: string;
  kind: 'disease' | 'healthy' | 'insect' | 'weed';
  crop: { fr: string; en: string };
}

/**
 * A running request shows a sign of life (updated_at) every TRAINING_HEARTBEAT_MS; one silent
 * for this long was interrupted (the server restarted, crashed, was redeployed mid-training).
 */
const STALE_RUNNING = '5 minutes';
export const TRAINING_HEARTBEAT_MS = 60_000;

/**
 * SQL of the retraining runner (migration 003): claiming a request while no other runs, its
 * outcome (succeeded / rejected / failed), the training set, and trained model versions.
 */
export function trainingJobRepository(db: Queryable) {
  return {
    /**
     * Claims the queued request, unless one is already running: SKIP LOCKED keeps two runners
     * from taking the same row, and the NOT EXISTS keeps a second request from starting while
     * the first trains (only one request is ever queued, so two claimers race for one row).
     */
    async claimExclusive(): Promise<{ id: string; newImages: number } | null> {
      const row = await db.maybeOne<{ id: string; new_images: number }>(
        `UPDATE training_requests SET status = 'running', started_at = now(), updated_at = now()
          WHERE id = (SELECT id FROM training_requests WHERE status = 'queued'
                        AND NOT EXISTS (SELECT 1 FROM training_requests r
                                         WHERE r.status = 'running'
                                           AND r.updated_at > now() - interval '${STALE_RUNNING}')
                       ORDER BY created_at FOR UPDATE SKIP LOCKED LIMIT 1)
          RETURNING id, new_images`,
      );
      return row ? { id: row.id, newImages: row.new_images } : null;
    },

    /** While training: the request is alive (see STALE_RUNNING). */
    async heartbeat(id: string): Promise<void> {
      await db.query(
        `UPDATE training_requests SET updated_at = now() WHERE id = $1 AND status = 'running'`,
        [id],
      );
    },

    /**
     * A request left 'running' by a runner that stopped (restart, crash) would block retraining
     * and keep its photos out of the model: it is marked failed, and its photos go back into the
     * queued request (created if none). Returns how many were recovered.
     */
    async recoverStale(): Promise<number> {
      const row = await db.one<{ n: number }>(
        `WITH stale AS (
           UPDATE training_requests
              SET status = 'failed', error = 'interrupted: no sign of life for ${STALE_RUNNING}',
                  finished_at = now(), updated_at = now()
            WHERE status = 'running' AND updated_at < now() - interval '${STALE_RUNNING}'
            RETURNING new_images
         ), requeued AS (
           INSERT INTO training_requests (reason, new_images, requested_by)
           SELECT 'retry after an interrupted training', sum(new_images)::int, NULL
             FROM stale HAVING count(*) > 0
           ON CONFLICT ((true)) WHERE status = 'queued'
           DO UPDATE SET new_images = training_requests.new_images + EXCLUDED.new_images,
                         updated_at = now()
           RETURNING id
         )
         SELECT (SELECT count(*) FROM stale)::int AS n`,
      );
      return Number(row.n);
    },

    async finish(
      id: string,
      status: 'succeeded' | 'rejected' | 'failed',
      result: unknown,
      error: string | null = null,
    ): Promise<void> {
      await db.query(
        `UPDATE training_requests SET status = $2, error = $3, result = $4::jsonb,
           finished_at = now(), updated_at = now() WHERE id = $1 AND status = 'running'`,
        [id, status, error, JSON.stringify(result ?? null)],
      );
    },

    async requestOutcome(
      id: string,
    ): Promise<{ status: string; result: unknown; error: string | null } | null> {
      return db.maybeOne(`SELECT status, result, error FROM training_requests WHERE id = $1`, [id]);
    },

    /** Validated bank images with their class metadata (new classes included), stable order. */
    async validatedSamples(): Promise<TrainingSampleRow[]> {
      const rows = await db.query<{
        class_slug: string;
        media_key: string;
        kind: TrainingSampleRow['kind'];
        crop_fr: string;
        crop_en: string;
      }>(
        `SELECT b.class_slug, b.media_key, e.kind, e.crop_fr, e.crop_en
           FROM bank_images b JOIN library_entries e ON e.slug = b.class_slug
          WHERE b.status = 'validated'
          ORDER BY b.class_slug, b.sha256`,
      );
      return rows.map((r) => ({
        classSlug: r.class_slug,
        mediaKey: r.media_key,
        kind: r.kind,
        crop: { fr: r.crop_fr, en: r.crop_en },
      }));
    },

    async insertVersion(v: {
      version: string;
      status: 'published' | 'rejected';
      metrics: unknown;
      gate: unknown;
      trainingRequestId: string | null;
    }): Promise<void> {
      await db.query(
        `INSERT INTO model_versions (version, status, metrics, gate, training_request_id)
         VALUES ($1, $2, $3::jsonb, $4::jsonb, $5)`,
        [
          v.version,
          v.status,
          JSON.stringify(v.metrics),
          JSON.stringify(v.gate),
          v.trainingRequestId,
        ],
      );
    },

    /** Makes `version` the one current model; false when it is not a publishable version. */
    async makeCurrent(version: string): Promise<boolean> {
      const row = await db.maybeOne(
        `SELECT 1 FROM model_versions WHERE version = $1 AND status <> 'rejected'`,
        [version],
      );
      if (!row) return false;
      await db.query('UPDATE model_versions SET is_current = false WHERE is_current');
      await db.query('UPDATE model_versions SET is_current = true WHERE version = $1', [version]);
      return true;
    },

    async getVersion(version: string): Promise<ModelVersionRecord | null> {
      const row = await db.maybeOne<VersionRow>(`${SELECT_VERSION} WHERE version = $1`, [version]);
      return row ? toVersion(row) : null;
    },

    async listVersions(limit = 100): Promise<ModelVersionRecord[]> {
      const rows = await db.query<VersionRow>(
        `${SELECT_VERSION} ORDER BY created_at DESC, version DESC LIMIT $1`,
        [limit],
      );
      return rows.map(toVersion);
    },
  };
}

const SELECT_VERSION = `SELECT version, status, is_current, metrics, gate, training_request_id,
    created_at FROM model_versions`;

function toVersion(r: VersionRow): ModelVersionRecord {
  return {
    version: r.version,
    status: r.status,
    isCurrent: r.is_current,
    metrics: r.metrics,
    gate: r.gate,
    trainingRequestId: r.training_request_id,
    createdAt: r.created_at.toISOString(),
  };
}
export type TrainingJobRepository = ReturnType<typeof trainingJobRepository>;
