import type { Queryable } from '../db/types';
import { IN_RANGE, type WeekRange } from './indicators-repository';
import type { AgreementRow, CannedAnswer } from '../contract/lab';

/** Ratings, canned answers and AI-vs-specialist agreement. */
export function labRepository(db: Queryable) {
  /** Canned answers whose slug is a library entry (others would answer with a dead link). */
  async function listCannedAnswers(): Promise<CannedAnswer[]> {
    const rows = await db.query<{
      id: string;
      slug: string;
      title_fr: string;
      title_en: string;
      message_fr: string;
      message_en: string;
      recommendations_fr: string;
      recommendations_en: string;
    }>(
      `SELECT c.* FROM canned_answers c JOIN library_entries l ON l.slug = c.slug
        ORDER BY c.position, c.id`,
    );
    return rows.map((r) => ({
      id: r.id,
      slug: r.slug,
      fr: { title: r.title_fr, message: r.message_fr, recommendations: r.recommendations_fr },
      en: { title: r.title_en, message: r.message_en, recommendations: r.recommendations_en },
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

    async findCannedAnswer(id: string): Promise<CannedAnswer | null> {
      return (await listCannedAnswers()).find((c) => c.id === id) ?? null;
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
