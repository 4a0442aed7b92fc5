import type { Queryable } from '../db/types';
import type { TrainingRequest, TrainingRequestStatus } from '../contract/bank';
import type { LocalizedText } from '../contract/common';

interface Row {
  id: string;
  status: TrainingRequestStatus;
  reason: string;
  new_images: number;
  removed_images: number;
  created_at: Date;
  updated_at: Date;
}

const toRequest = (r: Row): TrainingRequest => ({
  id: r.id,
  status: r.status,
  reason: r.reason,
  newImages: r.new_images,
  removedImages: r.removed_images,
  createdAt: r.created_at.toISOString(),
  updatedAt: r.updated_at.toISOString(),
});

/**
 * Retraining queue. At most one request is `queued` (partial unique index): new validated images
 * join it. A runner — a pg-boss worker on PostgreSQL or an in-process loop on PGlite — calls
 * claimNext() (SKIP LOCKED: several runners never take the same request) and then finish().
 */
export function trainingRequestRepository(db: Queryable) {
  return {
    /**
     * Adds the change in the bank to the queued request, creating it if none is queued; returns its
     * id. A photo validated then withdrawn before the run counts once each way: the list says both.
     */
    async enqueue(
      reason: string,
      images: { added: number; removed: number },
      requestedBy: string | null,
    ): Promise<string> {
      const row = await db.one<{ id: string }>(
        `INSERT INTO training_requests (reason, new_images, removed_images, requested_by)
         VALUES ($1, $2, $3, $4)
         ON CONFLICT ((true)) WHERE status = 'queued'
         DO UPDATE SET new_images = training_requests.new_images + EXCLUDED.new_images,
           removed_images = training_requests.removed_images + EXCLUDED.removed_images,
           reason = EXCLUDED.reason, updated_at = now()
         RETURNING id`,
        [reason, images.added, images.removed, requestedBy],
      );
      return row.id;
    },

    async claimNext(): Promise<TrainingRequest | null> {
      const row = await db.maybeOne<Row>(
        `UPDATE training_requests SET status = 'running', started_at = now(), updated_at = now()
          WHERE id = (SELECT id FROM training_requests WHERE status = 'queued'
                       ORDER BY created_at FOR UPDATE SKIP LOCKED LIMIT 1)
          RETURNING id, status, reason, new_images, removed_images, created_at, updated_at`,
      );
      return row ? toRequest(row) : null;
    },

    async finish(id: string, outcome: { ok: boolean; error?: string; result?: unknown }) {
      await db.query(
        `UPDATE training_requests SET status = $2, error = $3, result = $4::jsonb,
           finished_at = now(), updated_at = now() WHERE id = $1 AND status = 'running'`,
        [
          id,
          outcome.ok ? 'succeeded' : 'failed',
          outcome.error ?? null,
          outcome.result === undefined ? null : JSON.stringify(outcome.result),
        ],
      );
    },

    /** Classes with validated photos, but fewer than `minimum` (the same join as training). */
    async classesBelow(
      minimum: number,
    ): Promise<{ slug: string; name: LocalizedText; images: number }[]> {
      const rows = await db.query<{ slug: string; name_fr: string; name_en: string; n: number }>(
        `SELECT b.class_slug AS slug, e.name_fr, e.name_en, count(*)::int AS n
           FROM bank_images b JOIN library_entries e ON e.slug = b.class_slug
          WHERE b.status = 'validated'
          GROUP BY b.class_slug, e.name_fr, e.name_en HAVING count(*) < $1
          ORDER BY b.class_slug`,
        [minimum],
      );
      return rows.map((r) => ({
        slug: r.slug,
        name: { fr: r.name_fr, en: r.name_en },
        images: r.n,
      }));
    },

    async list(limit = 50): Promise<TrainingRequest[]> {
      const rows = await db.query<Row>(
        `SELECT id, status, reason, new_images, removed_images, created_at, updated_at
           FROM training_requests
          ORDER BY created_at DESC, id LIMIT $1`,
        [limit],
      );
      return rows.map(toRequest);
    },
  };
}
export type TrainingRequestRepository = ReturnType<typeof trainingRequestRepository>;
