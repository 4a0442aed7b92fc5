import type { Queryable } from '../db/types';
import type { EscalationStatus } from '../contract/escalation';

/** A local-time period: Mondays `from` and `to` (inclusive weeks) in `timeZone`. */
export interface WeekRange {
  from: string;
  to: string;
  timeZone: string;
}

const num = (v: number | string | null): number => Number(v ?? 0);

/**
 * `$1` `$2` `$3` = from, to, time zone: the period [from 00:00, to + 7 days 00:00) in local time.
 * Timestamps are compared as timestamptz so that every week boundary is a local midnight.
 */
export const IN_RANGE = (col: string) =>
  `${col} >= ($1::date)::timestamp AT TIME ZONE $3
   AND ${col} < (($2::date) + 7)::timestamp AT TIME ZONE $3`;

/** The SQL behind the admin service indicators (GET /api/indicators). */
export function indicatorsRepository(db: Queryable) {
  const params = (r: WeekRange) => [r.from, r.to, r.timeZone];
  return {
    /** Per week: on-device reports (abstentions included) and escalations received. */
    async weekly(r: WeekRange): Promise<{ week: string; onDevice: number; escalated: number }[]> {
      const rows = await db.query<{
        week: string;
        on_device: number | string;
        escalated: number | string;
      }>(
        `WITH weeks AS (
           SELECT generate_series($1::date, $2::date, interval '7 days')::date AS w
         ), received AS (
           SELECT date_trunc('week', e.created_at AT TIME ZONE $3)::date AS w, COUNT(*) AS n
             FROM escalations e WHERE ${IN_RANGE('e.created_at')} GROUP BY 1
         )
         SELECT to_char(weeks.w, 'YYYY-MM-DD') AS week,
                COALESCE(d.reports, 0) AS on_device, COALESCE(received.n, 0) AS escalated
           FROM weeks
           LEFT JOIN detection_weekly_reports d ON d.week_start = weeks.w
           LEFT JOIN received ON received.w = weeks.w
          ORDER BY weeks.w`,
        params(r),
      );
      return rows.map((x) => ({
        week: x.week,
        onDevice: num(x.on_device),
        escalated: num(x.escalated),
      }));
    },

    /**
     * Cases received in the period that got a first response: the first status change to
     * answered or sample_requested (a sample request is the lab's first response too).
     */
    async firstResponses(r: WeekRange): Promise<{ createdAt: Date; firstAt: Date }[]> {
      const rows = await db.query<{ created_at: Date; first_at: Date }>(
        `SELECT e.created_at, f.first_at
           FROM escalations e
           JOIN (SELECT escalation_id, MIN(at) AS first_at FROM escalation_status_history
                  WHERE to_status IN ('answered', 'sample_requested') GROUP BY escalation_id) f
             ON f.escalation_id = e.id
          WHERE ${IN_RANGE('e.created_at')}`,
        params(r),
      );
      return rows.map((x) => ({ createdAt: x.created_at, firstAt: x.first_at }));
    },

    /**
     * Cases received in the period that never got a first response (still waiting, or closed
     * without one): once past the commitment they count against it.
     */
    async unanswered(r: WeekRange): Promise<{ createdAt: Date }[]> {
      const rows = await db.query<{ created_at: Date }>(
        `SELECT e.created_at FROM escalations e
          WHERE ${IN_RANGE('e.created_at')}
            AND NOT EXISTS (SELECT 1 FROM escalation_status_history h
                             WHERE h.escalation_id = e.id
                               AND h.to_status IN ('answered', 'sample_requested'))`,
        params(r),
      );
      return rows.map((x) => ({ createdAt: x.created_at }));
    },

    /** Median and 90th percentile (continuous) of the hours to a first response. */
    async firstResponsePercentiles(
      r: WeekRange,
    ): Promise<{ n: number; median: number | null; p90: number | null }> {
      const row = await db.one<{ n: number | string; median: number | null; p90: number | null }>(
        `SELECT COUNT(*) AS n,
                percentile_cont(0.5) WITHIN GROUP (ORDER BY hours) AS median,
                percentile_cont(0.9) WITHIN GROUP (ORDER BY hours) AS p90
           FROM (SELECT EXTRACT(EPOCH FROM (f.first_at - e.created_at)) / 3600.0 AS hours
                   FROM escalations e
                   JOIN (SELECT escalation_id, MIN(at) AS first_at
                           FROM escalation_status_history
                          WHERE to_status IN ('answered', 'sample_requested')
                          GROUP BY escalation_id) f ON f.escalation_id = e.id
                  WHERE ${IN_RANGE('e.created_at')}) t`,
        params(r),
      );
      return {
        n: num(row.n),
        median: row.median === null ? null : Number(row.median),
        p90: row.p90 === null ? null : Number(row.p90),
      };
    },

    /** Cases the lab still owes something on, now (whatever the period). */
    async openCases(): Promise<
      { status: EscalationStatus; createdAt: string; sampleReceivedAt: string | null }[]
    > {
      const rows = await db.query<{
        status: EscalationStatus;
        created_at: Date;
        sample_received_at: Date | null;
      }>(
        `SELECT status, created_at, sample_received_at FROM escalations
          WHERE status IN ('received', 'in_review', 'sample_requested', 'sample_received')`,
      );
      return rows.map((x) => ({
        status: x.status,
        createdAt: x.created_at.toISOString(),
        sampleReceivedAt: x.sample_received_at?.toISOString() ?? null,
      }));
    },

    /** Count of ratings per score (1..5) given in the period. */
    async ratings(r: WeekRange): Promise<number[]> {
      const rows = await db.query<{ score: number; n: number | string }>(
        `SELECT score, COUNT(*) AS n FROM escalation_ratings
          WHERE ${IN_RANGE('created_at')} GROUP BY score`,
        params(r),
      );
      const distribution = [0, 0, 0, 0, 0];
      for (const x of rows) distribution[x.score - 1] = num(x.n);
      return distribution;
    },

    /** Ratings given in the period, per local week and score (1..5). */
    async weeklyRatings(r: WeekRange): Promise<{ week: string; score: number; n: number }[]> {
      const rows = await db.query<{ week: string; score: number; n: number | string }>(
        `SELECT to_char(date_trunc('week', created_at AT TIME ZONE $3), 'YYYY-MM-DD') AS week,
                score, COUNT(*) AS n
           FROM escalation_ratings
          WHERE ${IN_RANGE('created_at')}
          GROUP BY 1, 2`,
        params(r),
      );
      return rows.map((x) => ({ week: x.week, score: x.score, n: num(x.n) }));
    },

    /** Cases asked for a physical sample in the period, and cases whose sample arrived. */
    async samples(r: WeekRange): Promise<{ requested: number; received: number }> {
      const row = await db.one<{ requested: number | string; received: number | string }>(
        `SELECT COUNT(DISTINCT escalation_id) FILTER (WHERE to_status = 'sample_requested') AS requested,
                COUNT(DISTINCT escalation_id) FILTER (WHERE to_status = 'sample_received') AS received
           FROM escalation_status_history WHERE ${IN_RANGE('at')}`,
        params(r),
      );
      return { requested: num(row.requested), received: num(row.received) };
    },
  };
}
export type IndicatorsRepository = ReturnType<typeof indicatorsRepository>;
