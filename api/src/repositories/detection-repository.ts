import type { Queryable } from '../db/types';
import type { LibraryKind } from '../contract/library';
import type { DetectionSource } from '../contract/surveillance';
import { cropKey } from '../lib/crop-key';

/** One row of `detections` (never coordinates: a region / MRC code and a week). */
export interface NewDetection {
  /** Device reports only (idempotency key per user); null for confirmed detections. */
  clientId: string | null;
  userId: string | null;
  source: DetectionSource;
  /** Confirmed detections only. */
  escalationId: string | null;
  slug: string | null;
  kind: LibraryKind | null;
  crop: string | null;
  regionCode: string | null;
  mrcCode: string | null;
  /** Monday "YYYY-MM-DD". */
  week: string;
  confidence: number | null;
  abstained: boolean;
  modelVersion: string | null;
}

const COLUMNS = `client_id, user_id, source, escalation_id, class_slug, kind, crop, region_code,
  mrc_code, week_start, confidence, abstained, model_version`;

/** The rollup keys; '' stands for "unknown" (see migration 004). */
const ROLLUP_KEY = 'week_start, region_code, mrc_code, class_slug, kind, crop';
const REGION_KEY = 'week_start, region_code, class_slug, kind, crop';
const COUNT_BY_SOURCE = `(count(*) FILTER (WHERE source = 'confirmed'))::int,
  (count(*) FILTER (WHERE source = 'device'))::int`;

/**
 * Adds rows (already in `ins`: the raw rows just written) to the rollups. Abstentions are not
 * detections; the per-week report count includes them. Keys are grouped (one upsert per key per
 * statement) and sorted (concurrent writers lock rollup rows in the same order: no deadlock).
 */
const ADD_TO_ROLLUPS = `
  roll AS (
    INSERT INTO detection_weekly AS w (${ROLLUP_KEY}, confirmed, device)
    SELECT week_start, COALESCE(region_code, ''), COALESCE(mrc_code, ''), class_slug, kind,
           COALESCE(crop, ''), ${COUNT_BY_SOURCE}
      FROM ins WHERE NOT abstained
     GROUP BY 1, 2, 3, 4, 5, 6 ORDER BY 1, 2, 3, 4, 5, 6
    ON CONFLICT (${ROLLUP_KEY}) DO UPDATE
      SET confirmed = w.confirmed + EXCLUDED.confirmed, device = w.device + EXCLUDED.device
  ),
  roll_region AS (
    INSERT INTO detection_weekly_region AS w (${REGION_KEY}, confirmed, device)
    SELECT week_start, COALESCE(region_code, ''), class_slug, kind, COALESCE(crop, ''),
           ${COUNT_BY_SOURCE}
      FROM ins WHERE NOT abstained
     GROUP BY 1, 2, 3, 4, 5 ORDER BY 1, 2, 3, 4, 5
    ON CONFLICT (${REGION_KEY}) DO UPDATE
      SET confirmed = w.confirmed + EXCLUDED.confirmed, device = w.device + EXCLUDED.device
  ),
  reports AS (
    INSERT INTO detection_weekly_reports AS r (week_start, reports, abstained)
    SELECT week_start, count(*)::int, (count(*) FILTER (WHERE abstained))::int
      FROM ins WHERE source = 'device'
     GROUP BY 1 ORDER BY 1
    ON CONFLICT (week_start) DO UPDATE
      SET reports = r.reports + EXCLUDED.reports, abstained = r.abstained + EXCLUDED.abstained
  )`;

/** Column arrays for `unnest` (one array per column: one statement whatever the batch size). */
function toArrays(rows: readonly NewDetection[]): unknown[] {
  return [
    rows.map((r) => r.clientId),
    rows.map((r) => r.userId),
    rows.map((r) => r.source),
    rows.map((r) => r.escalationId),
    rows.map((r) => r.slug),
    rows.map((r) => r.kind),
    rows.map((r) => r.crop),
    rows.map((r) => r.regionCode),
    rows.map((r) => r.mrcCode),
    rows.map((r) => r.week),
    rows.map((r) => r.confidence),
    rows.map((r) => r.abstained),
    rows.map((r) => r.modelVersion),
  ];
}

/**
 * The new rows, with their contributor (migration 010): the account, or for a row without one
 * (synthetic data) a contributor of its own.
 */
const NEW_ROWS = `SELECT u.*, COALESCE(u.user_id, gen_random_uuid())
    FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::uuid[], $5::text[], $6::text[],
      $7::text[], $8::text[], $9::text[], $10::date[], $11::real[], $12::boolean[], $13::text[])
      AS u(${COLUMNS})`;

export function detectionRepository(db: Queryable) {
  return {
    /** Kind and French crop of the given library slugs (unknown slugs are absent). */
    async libraryClasses(
      slugs: readonly string[],
    ): Promise<Map<string, { kind: LibraryKind; crop: string }>> {
      if (slugs.length === 0) return new Map();
      const rows = await db.query<{ slug: string; kind: LibraryKind; crop_fr: string }>(
        'SELECT slug, kind, crop_fr FROM library_entries WHERE slug = ANY($1::text[])',
        [[...new Set(slugs)]],
      );
      return new Map(rows.map((r) => [r.slug, { kind: r.kind, crop: r.crop_fr }]));
    },

    /** Every crop name of the library (French and English) by cropKey → its French name. */
    async libraryCrops(): Promise<Map<string, string>> {
      const rows = await db.query<{ crop_fr: string; crop_en: string }>(
        'SELECT DISTINCT crop_fr, crop_en FROM library_entries',
      );
      const crops = new Map<string, string>();
      for (const r of rows) {
        crops.set(cropKey(r.crop_en), r.crop_fr);
        crops.set(cropKey(r.crop_fr), r.crop_fr);
      }
      return crops;
    },

    /**
     * Inserts detections and updates the rollups in ONE statement (so in the caller's
     * transaction, or atomically on its own). A row whose (user, clientId) or escalation already
     * exists is skipped. Returns how many rows were really inserted.
     */
    async insertMany(rows: readonly NewDetection[]): Promise<number> {
      if (rows.length === 0) return 0;
      const row = await db.one<{ n: number }>(
        `WITH ins AS (
           INSERT INTO detections (${COLUMNS}, contributor)
           ${NEW_ROWS}
           ON CONFLICT DO NOTHING
           RETURNING week_start, region_code, mrc_code, class_slug, kind, crop, source, abstained
         ), ${ADD_TO_ROLLUPS}
         SELECT count(*)::int AS n FROM ins`,
        toArrays(rows),
      );
      return Number(row.n);
    },

    /** This account's on-device reports received in the last 24 hours (the daily quota). */
    async deviceReportsLastDay(userId: string): Promise<number> {
      const row = await db.one<{ n: number }>(
        `SELECT count(*)::int AS n FROM detections
          WHERE source = 'device' AND user_id = $1 AND created_at > now() - interval '24 hours'`,
        [userId],
      );
      return Number(row.n);
    },

    /**
     * Raw rows only, rollups untouched: bulk loads (the generator) insert in batches and then
     * call rebuildRollups once.
     */
    async insertRawMany(rows: readonly NewDetection[]): Promise<void> {
      if (rows.length === 0) return;
      await db.query(
        `INSERT INTO detections (${COLUMNS}, contributor) ${NEW_ROWS} ON CONFLICT DO NOTHING`,
        toArrays(rows),
      );
    },

    /** Recomputes both rollups from the raw rows (after a bulk load; also a consistency check). */
    async rebuildRollups(): Promise<void> {
      await db.exec(`
        DELETE FROM detection_weekly;
        INSERT INTO detection_weekly (${ROLLUP_KEY}, confirmed, device)
        SELECT week_start, COALESCE(region_code, ''), COALESCE(mrc_code, ''), class_slug, kind,
               COALESCE(crop, ''), ${COUNT_BY_SOURCE}
          FROM detections WHERE NOT abstained
         GROUP BY 1, 2, 3, 4, 5, 6;
        DELETE FROM detection_weekly_region;
        INSERT INTO detection_weekly_region (${REGION_KEY}, confirmed, device)
        SELECT week_start, region_code, class_slug, kind, crop, SUM(confirmed)::int,
               SUM(device)::int
          FROM detection_weekly GROUP BY 1, 2, 3, 4, 5;
        DELETE FROM detection_weekly_reports;
        INSERT INTO detection_weekly_reports (week_start, reports, abstained)
        SELECT week_start, count(*)::int, (count(*) FILTER (WHERE abstained))::int
          FROM detections WHERE source = 'device' GROUP BY 1;`);
    },

    /**
     * Removes the confirmed detection of a case, if any, and takes it out of the rollup (the
     * case was re-answered: its new answer replaces it).
     */
    async removeConfirmed(escalationId: string): Promise<boolean> {
      const gone = await db.maybeOne<{
        week_start: string;
        region_code: string;
        mrc_code: string;
        class_slug: string;
        kind: string;
        crop: string;
        abstained: boolean;
      }>(
        `DELETE FROM detections WHERE escalation_id = $1 AND source = 'confirmed'
         RETURNING week_start::text AS week_start, COALESCE(region_code, '') AS region_code,
           COALESCE(mrc_code, '') AS mrc_code, class_slug, kind, COALESCE(crop, '') AS crop,
           abstained`,
        [escalationId],
      );
      if (!gone) return false;
      if (gone.abstained) return true;
      const g = gone;
      const cells: [string, string, unknown[]][] = [
        [
          'detection_weekly',
          `week_start = $1::date AND region_code = $2 AND mrc_code = $3 AND class_slug = $4
            AND kind = $5 AND crop = $6`,
          [g.week_start, g.region_code, g.mrc_code, g.class_slug, g.kind, g.crop],
        ],
        [
          'detection_weekly_region',
          `week_start = $1::date AND region_code = $2 AND class_slug = $3 AND kind = $4
            AND crop = $5`,
          [g.week_start, g.region_code, g.class_slug, g.kind, g.crop],
        ],
      ];
      for (const [table, where, key] of cells) {
        await db.query(`UPDATE ${table} SET confirmed = confirmed - 1 WHERE ${where}`, key);
        // A cell that no longer counts anything disappears (codes with no detection are omitted).
        await db.query(`DELETE FROM ${table} WHERE ${where} AND confirmed = 0 AND device = 0`, key);
      }
      return true;
    },

    /** On-device reports per week in [from, to], abstentions included (service indicators). */
    async weeklyReports(
      from: string,
      to: string,
    ): Promise<{ week: string; reports: number; abstained: number }[]> {
      const rows = await db.query<{ week: string; reports: number; abstained: number }>(
        `SELECT week_start::text AS week, reports, abstained FROM detection_weekly_reports
          WHERE week_start BETWEEN $1::date AND $2::date ORDER BY week_start`,
        [from, to],
      );
      return rows.map((r) => ({
        week: r.week,
        reports: Number(r.reports),
        abstained: Number(r.abstained),
      }));
    },
  };
}
export type DetectionRepository = ReturnType<typeof detectionRepository>;
