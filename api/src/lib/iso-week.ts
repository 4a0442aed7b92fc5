/**
 * ISO weeks as their Monday, written "YYYY-MM-DD" (the surveillance WeekStart). All arithmetic is
 * on UTC calendar dates: a week is a calendar notion, not an instant.
 */
const DAY_MS = 86_400_000;

function parseDate(day: string): Date | null {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) return null;
  const d = new Date(`${day}T00:00:00Z`);
  // Rejects 2026-02-30 and the like, which Date would silently roll over, and year 0000, which
  // Date accepts and PostgreSQL does not (there is no year 0 in its calendar).
  return Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== day || day < '0001'
    ? null
    : d;
}

function format(d: Date): string {
  return d.toISOString().slice(0, 10);
}

export function isValidDate(day: string): boolean {
  return parseDate(day) !== null;
}

export function isMonday(day: string): boolean {
  const d = parseDate(day);
  return d !== null && d.getUTCDay() === 1;
}

/** The Monday on or before a calendar date ("YYYY-MM-DD"); throws on an invalid date. */
export function mondayOnOrBefore(day: string): string {
  const d = parseDate(day);
  if (!d) throw new RangeError(`invalid date ${day}`);
  const back = (d.getUTCDay() + 6) % 7;
  return format(new Date(d.getTime() - back * DAY_MS));
}

export function addWeeks(monday: string, weeks: number): string {
  const d = parseDate(monday);
  if (!d) throw new RangeError(`invalid date ${monday}`);
  return format(new Date(d.getTime() + weeks * 7 * DAY_MS));
}

/** Whole weeks from `a` to `b` (both Mondays). */
export function weeksBetween(a: string, b: string): number {
  const da = parseDate(a);
  const db = parseDate(b);
  if (!da || !db) throw new RangeError(`invalid dates ${a} ${b}`);
  return Math.round((db.getTime() - da.getTime()) / (7 * DAY_MS));
}

/** The calendar date of an instant in a time zone ("YYYY-MM-DD"). */
export function localDate(at: Date, timeZone: string): string {
  // en-CA formats as YYYY-MM-DD.
  return new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(at);
}

/** Monday of the week holding an instant, in a time zone. */
export function weekOf(at: Date, timeZone: string): string {
  return mondayOnOrBefore(localDate(at, timeZone));
}
