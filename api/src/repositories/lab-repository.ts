import type { Queryable } from '../db/types';
import { IN_RANGE, type WeekRange } from './indicators-repository';
import type { AgreementRow, CannedAnswer } from '../contract/lab';

/** A canned answer's texts, as written. */
export type CannedAnswerTexts = Omit<CannedAnswer, 'lastEdit'>;

/** A canned answer as stored: `edited` null for those that came with the migrations. */
export interface CannedAnswerRecord extends CannedAnswerTexts {
  /** `byEmail` is the author account's current e-mail (anonymised once the account is deleted). */
  edited: { at: string; byEmail: string } | null;
}

const cannedValues = (c: CannedAnswerTexts, editorId: string) => [
  c.id,
  c.slug,
  c.fr.title,
  c.en.title,
  c.fr.message,
  c.en.message,
  c.fr.recommendations,
  c.en.recommendations,
  editorId,
];

/** Ratings, canned answers and AI-vs-specialist agreement. */
export function labRepository(db: Queryable) {
  /** Canned answers whose slug is a library entry (others would answer with a dead link). */
  async function listCannedAnswers(): Promise<CannedAnswerRecord[]> {
    const rows = await db.query<{
      id: string;
      slug: string;
      title_fr: string;
      title_en: string;
      message_fr: string;
      message_en: string;
      recommendations_fr: string;
      recommendations_en: string;
      edited_at: Date | null;
      edited_by_email: string | null;
    }>(
      `SELECT c.*, u.email AS edited_by_email
         FROM canned_answers c JOIN library_entries l ON l.slug = c.slug
         LEFT JOIN users u ON u.id = c.edited_by
        ORDER BY c.position, c.id`,
    );
    return rows.map((r) => ({
      id: r.id,
      slug: r.slug,
      fr: { title: r.title_fr, message: r.message_fr, recommendations: r.recommendations_fr },
      en: { title: r.title_en, message: r.message_en, recommendations: r.recommendations_en },
      edited:
        r.edited_at && r.edited_by_email
          ? { at: r.edited_at.toISOString(), byEmail: r.edited_by_email }
          : null,
    }));
  }

  return {
    listCannedAnswers,
    /** false when the case was already rated (one rating per case). */
    async insertRating(
      escalationId: string,
      userId: string,
      score: number,
      comment: string | null,
    ): Promise<boolean> {
      const rows = await db.query(
        `INSERT INTO escalation_ratings (escalation_id, user_id, score, comment)
         VALUES ($1, $2, $3, $4) ON CONFLICT (escalation_id) DO NOTHING RETURNING escalation_id`,
        [escalationId, userId, score, comment],
      );
      return rows.length > 0;
    },

    async findCannedAnswer(id: string): Promise<CannedAnswerRecord | null> {
      return (await listCannedAnswers()).find((c) => c.id === id) ?? null;
    },

    /** A new canned answer, after the others, written by `editorId`. */
    async insertCannedAnswer(c: CannedAnswerTexts, editorId: string): Promise<void> {
      await db.query(
        `INSERT INTO canned_answers (id, slug, title_fr, title_en, message_fr, message_en,
                                     recommendations_fr, recommendations_en, edited_by, edited_at,
                                     position)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, now(),
                 (SELECT COALESCE(MAX(position), 0) + 1 FROM canned_answers))`,
        cannedValues(c, editorId),
      );
    },

    /** false when there is no such canned answer. */
    async updateCannedAnswer(c: CannedAnswerTexts, editorId: string): Promise<boolean> {
      const rows = await db.query(
        `UPDATE canned_answers SET slug = $2, title_fr = $3, title_en = $4, message_fr = $5,
                message_en = $6, recommendations_fr = $7, recommendations_en = $8,
                edited_by = $9, edited_at = now()
          WHERE id = $1 RETURNING id`,
        cannedValues(c, editorId),
      );
      return rows.length > 0;
    },

    /** false when there is no such canned answer. */
    async deleteCannedAnswer(id: string): Promise<boolean> {
      const rows = await db.query('DELETE FROM canned_answers WHERE id = $1 RETURNING id', [id]);
      return rows.length > 0;
    },

    /**
     * Per diagnosed class, answers to cases that carried a prediction: how often the model
     * agreed, and how often it had abstained; with `range`, only cases received in that period
     * (as every other service indicator).
     */
    async agreement(range?: WeekRange): Promise<AgreementRow[]> {
      const rows = await db.query<{
        slug: string;
        n: number | string;
        abstained: number | string;
        top1: number | string;
        top3: number | string;
      }>(
        `SELECT a.diagnosis_slug AS slug, COUNT(*) AS n,
                COUNT(*) FILTER (WHERE (e.prediction ->> 'abstained')::boolean) AS abstained,
                COUNT(*) FILTER (WHERE a.top1_agree) AS top1,
                COUNT(*) FILTER (WHERE a.top3_agree) AS top3
           FROM escalation_answers a
           JOIN escalations e ON e.id = a.escalation_id
                ${range ? `AND ${IN_RANGE('e.created_at')}` : ''}
          WHERE a.diagnosis_slug IS NOT NULL AND a.top1_agree IS NOT NULL
          GROUP BY a.diagnosis_slug ORDER BY a.diagnosis_slug`,
        range ? [range.from, range.to, range.timeZone] : [],
      );
      return rows.map((r) => ({
        slug: r.slug,
        n: Number(r.n),
        abstained: Number(r.abstained),
        top1Agree: Number(r.top1),
        top3Agree: Number(r.top3),
      }));
    },
  };
}
export type LabRepository = ReturnType<typeof labRepository>;
