import type { SeriesPoint, SurveillanceQuery } from '@phytodiag/api/contract';
import { weeksBetween } from './weeks';

/** Query-string order: fixed, so the same filters always give the same URL (and cache entry). */
const KEYS: readonly (keyof SurveillanceQuery)[] = [
  'slug',
  'kind',
  'crop',
  'regionCode',
  'from',
  'to',
  'source',
  'level',
];

/** "?slug=…&from=…", empty values left out; "" when there is no filter. */
export function searchOf(q: SurveillanceQuery): string {
  const p = new URLSearchParams();
  for (const k of KEYS) {
    const v = q[k];
    if (v !== undefined && v !== '') p.set(k, v);
  }
  const s = p.toString();
  return s ? `?${s}` : '';
}

/** The CSV export of exactly the rows the table shows (same filters; the map level is moot). */
export function tableCsvUrl(q: SurveillanceQuery): string {
  const { level: _level, ...rest } = q;
  return `/api/surveillance/table.csv${searchOf(rest)}`;
}

export interface SeriesDatum {
  week: string;
  slug: string;
  source: 'confirmed' | 'device';
  count: number;
}

/**
 * Long format for the chart: one datum per (class, week, source) over EVERY week of the range,
 * zeros included (a week without reports is a 0, not a gap a line would jump over). Only the
 * `limit` classes with the most detections are kept, so the chart stays readable.
 */
export function seriesData(
  points: readonly SeriesPoint[],
  from: string,
  to: string,
  limit = 6,
): { slugs: string[]; data: SeriesDatum[] } {
  const totals = new Map<string, number>();
  const byKey = new Map<string, SeriesPoint>();
  for (const p of points) {
    totals.set(p.slug, (totals.get(p.slug) ?? 0) + p.confirmed + p.device);
    byKey.set(`${p.slug}|${p.week}`, p);
  }
  const slugs = [...totals]
    .filter(([, n]) => n > 0)
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .slice(0, limit)
    .map(([s]) => s);
  const data: SeriesDatum[] = [];
  for (const slug of slugs)
    for (const week of weeksBetween(from, to)) {
      const p = byKey.get(`${slug}|${week}`);
      data.push({ week, slug, source: 'confirmed', count: p?.confirmed ?? 0 });
      data.push({ week, slug, source: 'device', count: p?.device ?? 0 });
    }
  return { slugs, data };
}
