import type { Queryable } from '../db/types';
import { groupBy } from '../lib/group-by';
import type { BankImageStatus, ProposedClass } from '../contract/bank';

export interface SubmissionRecord {
  id: string;
  submitterId: string;
  submitterName: string | null;
  classSlug: string | null;
  proposedClass: ProposedClass | null;
  crop: string;
  date: string | null;
  regionCode: string | null;
  authorCredit: string;
  licence: string;
  createdAt: string;
  images: {
    id: string;
    status: BankImageStatus;
    mediaKey: string;
    width: number;
    height: number;
    rejectReason: string | null;
    withdrawnAt: string | null;
  }[];
}

export interface NewSubmission {
  submitterId: string;
  /** The device's id for it (queued uploads); null when the client sent none. */
  clientId: string | null;
  classSlug: string | null;
  proposedClass: ProposedClass | null;
  crop: string;
  date: string | null;
  regionCode: string | null;
  authorCredit: string;
  licence: string;
}

/** Derived status of a submission, shared by the list filter and the response. */
const SUBMISSION_STATUS = `(CASE
    WHEN EXISTS (SELECT 1 FROM bank_images b WHERE b.submission_id = s.id AND b.status = 'pending')
      THEN 'pending'
    WHEN EXISTS (SELECT 1 FROM bank_images b WHERE b.submission_id = s.id AND b.status = 'validated')
      THEN 'validated'
    ELSE 'rejected' END)`;

export function bankSubmissionRepository(db: Queryable) {
  return {
    /**
     * The new submission's id, or null when this submitter already has one with this clientId
     * (a resend racing the first copy: the unique constraint decides, nothing is written).
     */
    async insert(s: NewSubmission): Promise<string | null> {
      const row = await db.maybeOne<{ id: string }>(
        `INSERT INTO bank_submissions (submitter_id, client_id, class_slug, proposed_class, crop,
           taken_on, region_code, author_credit, licence)
         VALUES ($1, $2, $3, $4::jsonb, $5, $6::date, $7, $8, $9)
         ON CONFLICT (submitter_id, client_id) DO NOTHING RETURNING id`,
        [
          s.submitterId,
          s.clientId,
          s.classSlug,
          s.proposedClass === null ? null : JSON.stringify(s.proposedClass),
          s.crop,
          s.date,
          s.regionCode,
          s.authorCredit,
          s.licence,
        ],
      );
      return row?.id ?? null;
    },

    async findIdByClientId(submitterId: string, clientId: string): Promise<string | null> {
      const row = await db.maybeOne<{ id: string }>(
        'SELECT id FROM bank_submissions WHERE submitter_id = $1 AND client_id = $2',
        [submitterId, clientId],
      );
      return row?.id ?? null;
    },

    /** The numbers (1-based, in the order sent) of the photos the submission kept. */
    async keptPositions(submissionId: string): Promise<Set<number>> {
      const rows = await db.query<{ position: number }>(
        'SELECT position FROM bank_images WHERE submission_id = $1 AND position IS NOT NULL',
        [submissionId],
      );
      return new Set(rows.map((r) => r.position));
    },

    /** Adds a pending image; false when that sha256 is already in the bank (refused ones aside). */
    async insertImage(
      submissionId: string,
      s: NewSubmission,
      img: { mediaKey: string; sha256: string; width: number; height: number; position: number },
    ): Promise<boolean> {
      const rows = await db.query(
        `INSERT INTO bank_images (class_slug, media_key, sha256, width, height, author_credit,
           licence, status, source, submission_id, position)
         VALUES ($1, $2, $3, $4, $5, $6, $7, 'pending', $8, $9, $10)
         ON CONFLICT (sha256) WHERE status <> 'rejected' DO NOTHING RETURNING id`,
        [
          s.classSlug,
          img.mediaKey,
          img.sha256,
          img.width,
          img.height,
          s.authorCredit,
          s.licence,
          `submission:${submissionId}`,
          submissionId,
          img.position,
        ],
      );
      return rows.length > 0;
    },

    async findImage(id: string): Promise<{ mediaKey: string; submitterId: string } | null> {
      const row = await db.maybeOne<{ media_key: string; submitter_id: string }>(
        `SELECT b.media_key, s.submitter_id FROM bank_images b
           JOIN bank_submissions s ON s.id = b.submission_id WHERE b.id = $1`,
        [id],
      );
      return row ? { mediaKey: row.media_key, submitterId: row.submitter_id } : null;
    },

    /** Photos the bank holds, pending or validated: a refused photo may be sent again. */
    async existingSha256(sha256s: readonly string[]): Promise<Set<string>> {
      const rows = await db.query<{ sha256: string }>(
        `SELECT sha256 FROM bank_images WHERE sha256 = ANY($1::text[]) AND status <> 'rejected'`,
        [sha256s],
      );
      return new Set(rows.map((r) => r.sha256));
    },

    async list(filter: {
      submitterId?: string;
      status?: BankImageStatus;
      id?: string;
    }): Promise<SubmissionRecord[]> {
      const rows = await db.query<{
        id: string;
        submitter_id: string;
        display_name: string | null;
        class_slug: string | null;
        proposed_class: ProposedClass | null;
        crop: string;
        taken_on: string | null;
        region_code: string | null;
        author_credit: string;
        licence: string;
        created_at: Date;
      }>(
        `SELECT s.id, s.submitter_id, u.display_name, s.class_slug, s.proposed_class, s.crop,
                to_char(s.taken_on, 'YYYY-MM-DD') AS taken_on, s.region_code, s.author_credit,
                s.licence, s.created_at
           FROM bank_submissions s JOIN users u ON u.id = s.submitter_id
          WHERE ($1::uuid IS NULL OR s.submitter_id = $1::uuid)
            AND ($2::text IS NULL OR ${SUBMISSION_STATUS} = $2::text)
            AND ($3::uuid IS NULL OR s.id = $3::uuid)
          ORDER BY s.created_at DESC, s.id LIMIT 200`,
        [filter.submitterId ?? null, filter.status ?? null, filter.id ?? null],
      );
      if (rows.length === 0) return [];
      const images = await db.query<{
        id: string;
        submission_id: string;
        status: BankImageStatus;
        media_key: string;
        width: number;
        height: number;
        reject_reason: string | null;
        withdrawn_at: Date | null;
      }>(
        `SELECT id, submission_id, status, media_key, width, height, reject_reason, withdrawn_at
           FROM bank_images WHERE submission_id = ANY($1::uuid[])
          ORDER BY position NULLS LAST, created_at, id`,
        [rows.map((r) => r.id)],
      );
      const imagesById = groupBy(images, (i) => i.submission_id);
      return rows.map((r) => ({
        id: r.id,
        submitterId: r.submitter_id,
        submitterName: r.display_name,
        classSlug: r.class_slug,
        proposedClass: r.proposed_class,
        crop: r.crop,
        date: r.taken_on,
        regionCode: r.region_code,
        authorCredit: r.author_credit,
        licence: r.licence,
        createdAt: r.created_at.toISOString(),
        images: (imagesById.get(r.id) ?? []).map((i) => ({
          id: i.id,
          status: i.status,
          mediaKey: i.media_key,
          width: i.width,
          height: i.height,
          rejectReason: i.reject_reason,
          withdrawnAt: i.withdrawn_at?.toISOString() ?? null,
        })),
      }));
    },

    /** Locks the submission row (concurrent reviews of one submission are serialised). */
    async lock(id: string): Promise<boolean> {
      const row = await db.maybeOne('SELECT id FROM bank_submissions WHERE id = $1 FOR UPDATE', [
        id,
      ]);
      return row !== null;
    },

    /** Once a proposed class exists in the library, the submission and its images point at it. */
    async attachClass(id: string, slug: string): Promise<void> {
      await db.query(
        'UPDATE bank_submissions SET class_slug = $2, proposed_class = NULL WHERE id = $1',
        [id, slug],
      );
      await db.query('UPDATE bank_images SET class_slug = $2 WHERE submission_id = $1', [id, slug]);
    },

    /**
     * Reviews pending images of the submission (all, or `imageIds`); returns how many changed.
     * Already reviewed images are left alone: a decision is not silently overwritten.
     */
    async review(
      id: string,
      decision: { status: 'validated' | 'rejected'; reason: string | null; reviewerId: string },
      imageIds: readonly string[] | null,
    ): Promise<number> {
      const rows = await db.query(
        `UPDATE bank_images SET status = $2, reject_reason = $3, reviewed_by = $4,
           reviewed_at = now()
          WHERE submission_id = $1 AND status = 'pending'
            AND ($5::uuid[] IS NULL OR id = ANY($5::uuid[]))
          RETURNING id`,
        [id, decision.status, decision.reason, decision.reviewerId, imageIds],
      );
      return rows.length;
    },

    /**
     * Takes validated images of the submission (all, or `imageIds`) back out of the bank: they
     * become refused with the curator's reason. Returns the classes of those that changed.
     */
    async withdraw(
      id: string,
      decision: { reason: string; reviewerId: string },
      imageIds: readonly string[] | null,
    ): Promise<string[]> {
      const rows = await db.query<{ class_slug: string | null }>(
        `UPDATE bank_images SET status = 'rejected', reject_reason = $2, reviewed_by = $3,
           reviewed_at = now(), withdrawn_at = now()
          WHERE submission_id = $1 AND status = 'validated'
            AND ($4::uuid[] IS NULL OR id = ANY($4::uuid[]))
          RETURNING class_slug`,
        [id, decision.reason, decision.reviewerId, imageIds],
      );
      return rows.flatMap((r) => (r.class_slug ? [r.class_slug] : []));
    },

    /** Takes a case's photos out of the bank (consent withdrawn): the classes they were in. */
    async deleteFromEscalation(escalationId: string): Promise<string[]> {
      const rows = await db.query<{ class_slug: string | null }>(
        'DELETE FROM bank_images WHERE escalation_id = $1 RETURNING class_slug',
        [escalationId],
      );
      return rows.flatMap((r) => (r.class_slug ? [r.class_slug] : []));
    },

    /** Takes every photo of one person's cases out of the bank (the account is deleted). */
    async deleteFromOwnerCases(userId: string): Promise<string[]> {
      const rows = await db.query<{ class_slug: string | null }>(
        `DELETE FROM bank_images
          WHERE escalation_id IN (SELECT id FROM escalations WHERE user_id = $1)
          RETURNING class_slug`,
        [userId],
      );
      return rows.flatMap((r) => (r.class_slug ? [r.class_slug] : []));
    },

    /** Escalation photos as validated bank images; returns how many were new to the bank. */
    async insertFromEscalation(
      escalationId: string,
      classSlug: string,
      reviewerId: string,
      photos: readonly { mediaKey: string; sha256: string; width: number; height: number }[],
      credit: string,
      licence: string,
    ): Promise<number> {
      let added = 0;
      for (const p of photos) {
        const rows = await db.query(
          `INSERT INTO bank_images (class_slug, media_key, sha256, width, height, author_credit,
             licence, status, source, escalation_id, reviewed_by, reviewed_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, 'validated', $8, $9, $10, now())
           ON CONFLICT (sha256) WHERE status <> 'rejected' DO NOTHING RETURNING id`,
          [
            classSlug,
            p.mediaKey,
            p.sha256,
            p.width,
            p.height,
            credit,
            licence,
            `escalation:${escalationId}`,
            escalationId,
            reviewerId,
          ],
        );
        added += rows.length;
      }
      return added;
    },
  };
}
export type BankSubmissionRepository = ReturnType<typeof bankSubmissionRepository>;
