/**
 * ISO weeks as the API speaks them: the Monday of the week, "YYYY-MM-DD", computed in UTC so the
 * same instant gives the same week everywhere (and in tests).
 */

const DAY = 86_400_000;

function toDate(week: string): Date {
  return new Date(`${week}T00:00:00Z`);
}

function fmt(d: Date): string {
  return d.toISOString().slice(0, 10);
}

export function mondayOf(d: Date): string {
  const day = (d.getUTCDay() + 6) % 7; // Monday 0 … Sunday 6
  return fmt(new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() - day)));
}

export function addWeeks(week: string, n: number): string {
  return fmt(new Date(toDate(week).getTime() + n * 7 * DAY));
}

/** Every Monday from `from` to `to`, inclusive; empty when from > to. */
export function weeksBetween(from: string, to: string): string[] {
  const out: string[] = [];
  for (let w = from; w <= to; w = addWeeks(w, 1)) out.push(w);
  return out;
}

/** "2026-W48" (the value of an <input type="week">) → its Monday; null when malformed. */
export function isoWeekToMonday(value: string): string | null {
  const m = /^(\d{4})-W(\d{2})$/.exec(value);
  if (!m) return null;
  const year = Number(m[1]);
  const week = Number(m[2]);
  if (week < 1 || week > 53) return null;
  // ISO week 1 is the week with 4 January in it.
  const week1 = mondayOf(new Date(Date.UTC(year, 0, 4)));
  const monday = addWeeks(week1, week - 1);
  // Week 53 exists only in some years: it must still belong to `year`.
  return isoYearOf(monday) === year ? monday : null;
}

/** The ISO year of a week: the year of its Thursday. */
export function isoYearOf(monday: string): number {
  return new Date(toDate(monday).getTime() + 3 * DAY).getUTCFullYear();
}

/** Monday → "2026-W48". */
export function mondayToIsoWeek(monday: string): string {
  const year = isoYearOf(monday);
  const week1 = mondayOf(new Date(Date.UTC(year, 0, 4)));
  const n = Math.round((toDate(monday).getTime() - toDate(week1).getTime()) / (7 * DAY)) + 1;
  return `${year}-W${String(n).padStart(2, '0')}`;
}

export type PeriodPreset = 'last4' | 'last12' | 'last52' | 'season';

/** Quebec's growing season: April to October, the months of the 'season' preset. */
export function inGrowingSeason(today: Date): boolean {
  const month = today.getUTCMonth();
  return month >= 3 && month <= 9;
}

/**
 * The first period of the public view. In season, the last 12 weeks. From November to March
 * those weeks hold little above the public minimum per cell, so the page would open empty: the
 * last 52 weeks, which hold the past growing season and the latest confirmations too.
 */
export function seasonalPreset(today: Date): PeriodPreset {
  return inGrowingSeason(today) ? 'last12' : 'last52';
}
export const PERIOD_PRESETS: readonly PeriodPreset[] = ['last4', 'last12', 'last52', 'season'];

/**
 * Week range of a preset, ending with the current week. 'season': Quebec's growing season, from
 * the week of 1 April to the week of 31 October of this year (of last year before April).
 */
export function presetRange(preset: PeriodPreset, today: Date): { from: string; to: string } {
  const current = mondayOf(today);
  switch (preset) {
    case 'last4':
      return { from: addWeeks(current, -3), to: current };
    case 'last12':
      return { from: addWeeks(current, -11), to: current };
    case 'last52':
      return { from: addWeeks(current, -51), to: current };
    case 'season': {
      const y = today.getUTCMonth() < 3 ? today.getUTCFullYear() - 1 : today.getUTCFullYear();
      const from = mondayOf(new Date(Date.UTC(y, 3, 1)));
      const end = mondayOf(new Date(Date.UTC(y, 9, 31)));
      return { from, to: end < current ? end : current };
    }
  }
}
