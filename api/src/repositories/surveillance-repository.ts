import type { Queryable } from '../db/types';
import type { LibraryKind } from '../contract/library';
import type {
  MapCell,
  MapLevel,
  PublicCell,
  SeriesPoint,
  SurveillanceRow,
} from '../contract/surveillance';

/** Confirmations of one class in one region ('' = unknown) and calendar month (1–12). */
export interface MonthCell {
  regionCode: string;
  month: number;
  slug: string;
  count: number;
}

/** A SurveillanceQuery with its period resolved (Mondays, inclusive). */
export interface RollupFilter {
  from: string;
  to: string;
  slug?: string;
  kind?: LibraryKind;
  crop?: string;
  regionCode?: string;
  source?: 'all' | 'device' | 'confirmed';
}

/**
 * WHERE clause and count expressions over `detection_weekly` or `detection_weekly_region` (the
 * rollups, never the raw table; their text columns sort byte-wise, COLLATE "C"). A source filter
 * zeroes the other count. Healthy-plant results are not pest detections: they are left out
 * unless asked for (kind=healthy or a slug).
 */
function where(f: RollupFilter): {
  sql: string;
  params: unknown[];
  confirmed: string;
  device: string;
} {
  const params: unknown[] = [f.from, f.to];
  const parts = ['week_start BETWEEN $1::date AND $2::date'];
  const add = (clause: (p: string) => string, value: unknown) => {
    params.push(value);
    parts.push(clause(`$${params.length}`));
  };
  if (f.slug !== undefined) add((p) => `class_slug = ${p}`, f.slug);
  if (f.kind !== undefined) add((p) => `kind = ${p}`, f.kind);
  if (f.slug === undefined && f.kind === undefined) parts.push(`kind <> 'healthy'`);
  // Crops are labels typed by people: "Maïs" and "maïs " are the same crop. Lower-cased here:
  // lower() under COLLATE "C" only folds ASCII letters.
  if (f.crop !== undefined) add((p) => `lower(crop) = ${p}`, f.crop.trim().toLowerCase());
  if (f.regionCode !== undefined) add((p) => `region_code = ${p}`, f.regionCode);
  const confirmed = f.source === 'device' ? '0' : 'confirmed';
  const device = f.source === 'confirmed' ? '0' : 'device';
  if (f.source === 'device') parts.push('device > 0');
  if (f.source === 'confirmed') parts.push('confirmed > 0');
  return { sql: parts.join(' AND '), params, confirmed, device };
}

/** The rows the public view and the priors count; the predicate of the partial index of migration 010. */
const CONFIRMED_PUBLIC = `source = 'confirmed' AND NOT abstained AND kind <> 'healthy'`;

const sums = (w: { confirmed: string; device: string }) =>
  `SUM(${w.confirmed}) AS confirmed, SUM(${w.device}) AS device`;

interface CountsRow {
  confirmed: number | string;
  device: number | string;
}

export function surveillanceRepository(db: Queryable) {
  return {
    async map(f: RollupFilter, level: MapLevel): Promise<MapCell[]> {
      const column = level === 'mrc' ? 'mrc_code' : 'region_code';
      const table = level === 'mrc' ? 'detection_weekly' : 'detection_weekly_region';
      const w = where(f);
      const rows = await db.query<CountsRow & { code: string }>(
        `SELECT ${column} AS code, ${sums(w)} FROM ${table}
          WHERE ${w.sql} AND ${column} <> ''
          GROUP BY ${column} ORDER BY ${column}`,
        w.params,
      );
      return rows.map((r) => ({
        code: r.code,
        confirmed: Number(r.confirmed),
        device: Number(r.device),
      }));
    },

    async series(f: RollupFilter): Promise<SeriesPoint[]> {
      const w = where(f);
      const rows = await db.query<CountsRow & { week: string; slug: string }>(
        `SELECT week_start::text AS week, class_slug AS slug, ${sums(w)}
           FROM detection_weekly_region WHERE ${w.sql}
          GROUP BY week_start, class_slug ORDER BY week_start, class_slug`,
        w.params,
      );
      return rows.map((r) => ({
        week: r.week,
        slug: r.slug,
        confirmed: Number(r.confirmed),
        device: Number(r.device),
      }));
    },

    /** Up to `limit` rows, and whether more matched. */
    async table(
      f: RollupFilter,
      limit: number,
    ): Promise<{ rows: SurveillanceRow[]; truncated: boolean }> {
      const w = where(f);
      const rows = await db.query<
        CountsRow & {
          week: string;
          region_code: string;
          mrc_code: string;
          slug: string;
          kind: LibraryKind;
          crop: string;
        }
      >(
        // One rollup row per table row: an ordered read of the index, stopped by the LIMIT.
        `SELECT week_start::text AS week, region_code, mrc_code, class_slug AS slug, kind, crop,
                ${w.confirmed} AS confirmed, ${w.device} AS device
           FROM detection_weekly WHERE ${w.sql}
          ORDER BY week_start DESC, region_code, mrc_code, class_slug, kind, crop
          LIMIT $${w.params.length + 1}`,
        [...w.params, limit + 1],
      );
      return {
        rows: rows.slice(0, limit).map((r) => ({
          week: r.week,
          regionCode: r.region_code === '' ? null : r.region_code,
          mrcCode: r.mrc_code === '' ? null : r.mrc_code,
          slug: r.slug,
          kind: r.kind,
          crop: r.crop === '' ? null : r.crop,
          confirmed: Number(r.confirmed),
          device: Number(r.device),
        })),
        truncated: rows.length > limit,
      };
    },

    /**
     * Public view: confirmed only, region × week × class, a cell shown only when at least
     * `minFarms` distinct farms confirmed it (one farm's three cases are not three farms), and
     * detections without a region left out (they cannot be placed on the map anyway). Distinct
     * counts cannot be added up, so this reads the confirmed rows (a partial index covers them:
     * migration 010), not the rollup.
     */
    async publicCells(
      f: { from: string; to: string; slug?: string },
      minFarms: number,
    ): Promise<PublicCell[]> {
      const params: unknown[] = [f.from, f.to, minFarms];
      if (f.slug !== undefined) params.push(f.slug);
      const rows = await db.query<{ region_code: string; week: string; slug: string; n: string }>(
        `SELECT region_code, week_start::text AS week, class_slug AS slug, count(*) AS n
           FROM detections
          WHERE ${CONFIRMED_PUBLIC} AND week_start BETWEEN $1::date AND $2::date
            AND region_code IS NOT NULL ${f.slug === undefined ? '' : 'AND class_slug = $4'}
          GROUP BY week_start, region_code, class_slug
         HAVING count(DISTINCT contributor) >= $3
          ORDER BY week_start DESC, region_code, class_slug`,
        params,
      );
      return rows.map((r) => ({
        regionCode: r.region_code,
        week: r.week,
        slug: r.slug,
        count: Number(r.n),
      }));
    },

    /** How many distinct farms confirmed this class in this region and week (alerts wait for the public threshold). */
    async farmsInCell(cell: { week: string; regionCode: string; slug: string }): Promise<number> {
      const row = await db.one<{ n: string | number }>(
        `SELECT count(DISTINCT contributor) AS n FROM detections
          WHERE ${CONFIRMED_PUBLIC} AND week_start = $1::date AND region_code = $2
            AND class_slug = $3`,
        [cell.week, cell.regionCode, cell.slug],
      );
      return Number(row.n);
    },

    /**
     * Confirmations by region ('' = unknown), calendar month (that of the week's Thursday, as ISO
     * weeks are) and class over [from, to], healthy plants left out; a cell confirmed by fewer
     * than `minFarms` distinct farms is left out too, as in the public view.
     */
    async confirmedByMonth(
      f: { from: string; to: string },
      minFarms: number,
    ): Promise<MonthCell[]> {
      const rows = await db.query<{ region_code: string; month: number; slug: string; n: string }>(
        `SELECT COALESCE(region_code, '') AS region_code,
                extract(month FROM week_start + 3)::int AS month, class_slug AS slug, count(*) AS n
           FROM detections
          WHERE ${CONFIRMED_PUBLIC} AND week_start BETWEEN $1::date AND $2::date
          GROUP BY 1, 2, 3
         HAVING count(DISTINCT contributor) >= $3
          ORDER BY 1, 2, 3`,
        [f.from, f.to, minFarms],
      );
      return rows.map((r) => ({
        regionCode: r.region_code,
        month: Number(r.month),
        slug: r.slug,
        count: Number(r.n),
      }));
    },
  };
}
export type SurveillanceRepository = ReturnType<typeof surveillanceRepository>;
