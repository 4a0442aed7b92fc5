import { LAB_USE_ONLY_LICENCE } from '../contract/bank';
import type { Queryable } from '../db/types';

export interface BankImageRecord {
  classSlug: string;
  mediaKey: string;
  width: number;
  height: number;
  credit: string;
  licence: string;
}

export interface NewBankImage {
  classSlug: string;
  mediaKey: string;
  sha256: string;
  width: number;
  height: number;
  credit: string;
  licence: string;
  status: 'pending' | 'validated' | 'rejected';
  source: string;
}

/**
 * A bank photo anyone may see (library, `/images/`): validated, and not given for the lab's use
 * only (those train the model and stay in the lab). SQL on a row of bank_images aliased `alias`.
 */
export const PUBLISHED = (alias: string) =>
  `${alias}.status = 'validated' AND ${alias}.licence <> '${LAB_USE_ONLY_LICENCE}'`;

export function bankImageRepository(db: Queryable) {
  return {
    async allSha256(): Promise<Set<string>> {
      const rows = await db.query<{ sha256: string }>('SELECT sha256 FROM bank_images');
      return new Set(rows.map((r) => r.sha256));
    },

    /** false when that sha256 is already in the bank. */
    async insert(img: NewBankImage): Promise<boolean> {
      const rows = await db.query(
        `INSERT INTO bank_images
           (class_slug, media_key, sha256, width, height, author_credit, licence, status, source)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
         ON CONFLICT (sha256) WHERE status <> 'rejected' DO NOTHING
         RETURNING id`,
        [
          img.classSlug,
          img.mediaKey,
          img.sha256,
          img.width,
          img.height,
          img.credit,
          img.licence,
          img.status,
          img.source,
        ],
      );
      return rows.length > 0;
    },

    /**
     * Whether a stored image may be served publicly: only published bank images are. Media keys
     * are the sha256 of the original, so the sha256 index answers this per request.
     */
    async isPublic(mediaKey: string): Promise<boolean> {
      const row = await db.maybeOne(
        `SELECT 1 FROM bank_images b
          WHERE b.sha256 = $1 AND b.media_key = $1 AND ${PUBLISHED('b')} LIMIT 1`,
        [mediaKey],
      );
      return row !== null;
    },

    /** Published images of the given classes (the library's), in a stable order. */
    async listValidated(slugs: readonly string[]): Promise<BankImageRecord[]> {
      if (slugs.length === 0) return [];
      const rows = await db.query<{
        class_slug: string;
        media_key: string;
        width: number;
        height: number;
        author_credit: string;
        licence: string;
      }>(
        `SELECT class_slug, media_key, width, height, author_credit, licence FROM bank_images b
          WHERE class_slug = ANY($1::text[]) AND ${PUBLISHED('b')}
          ORDER BY class_slug, source, sha256`,
        [slugs],
      );
      return rows.map((r) => ({
        classSlug: r.class_slug,
        mediaKey: r.media_key,
        width: r.width,
        height: r.height,
        credit: r.author_credit,
        licence: r.licence,
      }));
    },

    async countByClass(): Promise<Map<string, number>> {
      const rows = await db.query<{ class_slug: string; n: number | string }>(
        'SELECT class_slug, COUNT(*) AS n FROM bank_images GROUP BY class_slug',
      );
      return new Map(rows.map((r) => [r.class_slug, Number(r.n)]));
    },
  };
}
export type BankImageRepository = ReturnType<typeof bankImageRepository>;
