import Holidays from 'date-holidays';
import { isValidDate } from './iso-week';

const DAY_MS = 24 * 60 * 60 * 1000;

export interface BusinessCalendarOptions {
  /** IANA zone deciding what day it is at the lab. */
  timeZone: string;
  /**
   * Public holidays of a region, as date-holidays names it ("CA-QC"), or null for weekends only.
   * Its public and optional days count (in Quebec the optional one is Easter Monday, which the
   * public service takes off along with Good Friday).
   */
  holidays: string | null;
  /** Further closed days: "MM-DD" every year, or "YYYY-MM-DD" once. */
  closedDays: readonly string[];
  /**
   * A holiday or closure falling on a Sunday is taken on the next weekday still open: Monday, as
   * Quebec law does for 24 June and 1 July, or Tuesday when Monday is closed anyway (Sunday
   * Christmas, Monday 26 December). Default true. A Saturday's is not moved: practice varies
   * between employers; a lab that takes it on the Friday lists that date in `closedDays`.
   */
  moveSundayHolidays?: boolean;
}

/** Lab opening days: Monday to Friday, less holidays and closures, in the lab's time zone. */
export interface BusinessCalendar {
  readonly timeZone: string;
  /** Whether the lab works on this local date ("YYYY-MM-DD"). */
  isBusinessDay(localDate: string): boolean;
  /**
   * `start` plus `days` business days, at the same wall-clock time (so a daylight-saving change
   * does not move the due time by an hour). The clock runs from `start` on a business day;
   * received on a closed day, a request counts from the next business day's midnight, so a
   * request of Saturday is never due before one of Monday morning. Friday 16:00 + 2 days is
   * Tuesday 16:00; Saturday + 2 days is Wednesday 00:00 (the end of Tuesday). Fractional days
   * add their share of 24 hours, pushed past closed days.
   */
  addBusinessDays(start: Date, days: number): Date;
  /** The weekdays (Monday–Friday) the lab is closed in the `days` days from `at`'s date. */
  closedWeekdays(at: Date, days: number): string[];
}

export class CalendarConfigError extends Error {}

interface WallClock {
  /** "YYYY-MM-DD" */
  date: string;
  /** Milliseconds since local midnight. */
  msOfDay: number;
}

const CLOSED_DAY = /^(?:(\d{4})-)?(\d{2})-(\d{2})$/;

export function createBusinessCalendar(options: BusinessCalendarOptions): BusinessCalendar {
  const { timeZone } = options;
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23',
  });
  const holidays = options.holidays === null ? null : regionHolidays(options.holidays);
  const yearly = new Set<string>();
  const once = new Set<string>();
  for (const day of options.closedDays) {
    const m = CLOSED_DAY.exec(day);
    if (!m || !isValidDate(`${m[1] ?? '2024'}-${m[2]}-${m[3]}`)) {
      throw new CalendarConfigError(`closed day "${day}" is neither MM-DD nor YYYY-MM-DD`);
    }
    (m[1] ? once : yearly).add(m[1] ? day : `${m[2]}-${m[3]}`);
  }
  /** The year's holidays and closures, as dated ("YYYY-MM-DD"). */
  function datedClosures(year: number): string[] {
    const dated = (holidays?.getHolidays(year) ?? [])
      .filter((h) => h.type === 'public' || h.type === 'optional')
      .map((h) => h.date.slice(0, 10));
    for (const md of yearly) if (isValidDate(`${year}-${md}`)) dated.push(`${year}-${md}`);
    for (const day of once) if (day.startsWith(`${year}-`)) dated.push(day);
    return [...new Set(dated)].sort();
  }

  const closedByYear = new Map<number, Set<string>>();
  /** Every date the lab is closed in `year` besides weekends, weekend holidays moved. */
  function closedOf(year: number): Set<string> {
    let days = closedByYear.get(year);
    if (days) return days;
    // The year before too: a closure on Sunday 31 December moves into January.
    const dated = [year - 1, year].flatMap(datedClosures);
    const closed = new Set(dated);
    if (options.moveSundayHolidays ?? true) {
      // In date order, so Sunday Christmas goes to Tuesday when 26 December is a closure too.
      for (const date of dated) {
        if (weekdayOf(date) !== 0) continue;
        let d = addDays(date, 1);
        while (isWeekend(d) || closed.has(d)) d = addDays(d, 1);
        closed.add(d);
      }
    }
    days = new Set([...closed].filter((d) => d.startsWith(`${year}-`)));
    closedByYear.set(year, days);
    return days;
  }

  function wallClock(at: Date): WallClock {
    const p = Object.fromEntries(parts.formatToParts(at).map((x) => [x.type, x.value]));
    const msOfDay =
      ((+p.hour! * 60 + +p.minute!) * 60 + +p.second!) * 1000 +
      (((at.getTime() % 1000) + 1000) % 1000);
    return { date: `${p.year}-${p.month}-${p.day}`, msOfDay };
  }

  /** The instant showing this wall clock in the zone (the later one in a repeated hour). */
  function instantOf({ date, msOfDay }: WallClock): Date {
    const naive = Date.parse(`${date}T00:00:00Z`) + msOfDay;
    let t = naive;
    // The zone's offset at t is (its wall clock read as UTC) − t; two rounds settle a DST edge.
    for (let i = 0; i < 2; i++) {
      const w = wallClock(new Date(t));
      t = naive - (Date.parse(`${w.date}T00:00:00Z`) + w.msOfDay - t);
    }
    return new Date(t);
  }

  function isBusinessDay(date: string): boolean {
    return !isWeekend(date) && !closedOf(Number(date.slice(0, 4))).has(date);
  }

  const nextDay = (date: string) => addDays(date, 1);

  function nextBusinessDay(date: string): string {
    let d = nextDay(date);
    while (!isBusinessDay(d)) d = nextDay(d);
    return d;
  }

  return {
    timeZone,
    isBusinessDay,
    closedWeekdays(at, days) {
      const closed: string[] = [];
      let date = wallClock(at).date;
      for (let i = 0; i < days; i++, date = nextDay(date)) {
        if (!isWeekend(date) && !isBusinessDay(date)) closed.push(date);
      }
      return closed;
    },
    addBusinessDays(start, days) {
      let clock = wallClock(start);
      if (!isBusinessDay(clock.date)) clock = { date: nextBusinessDay(clock.date), msOfDay: 0 };
      const whole = Math.floor(days);
      for (let i = 0; i < whole; i++) clock = { ...clock, date: nextBusinessDay(clock.date) };
      const restMs = (days - whole) * DAY_MS;
      if (restMs > 0) {
        const msOfDay = clock.msOfDay + restMs;
        clock =
          msOfDay < DAY_MS
            ? { ...clock, msOfDay }
            : { date: nextBusinessDay(clock.date), msOfDay: msOfDay - DAY_MS };
      }
      return instantOf(clock);
    },
  };
}

/** 0 = Sunday … 6 = Saturday, of a "YYYY-MM-DD" date. */
function weekdayOf(date: string): number {
  return new Date(`${date}T12:00:00Z`).getUTCDay();
}

function isWeekend(date: string): boolean {
  const weekday = weekdayOf(date);
  return weekday === 0 || weekday === 6;
}

function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

function regionHolidays(region: string): Holidays {
  const [country = '', state, ...rest] = region.split('-');
  const h = new Holidays();
  // init() accepts any name (and then knows no holiday): check against the library's own lists.
  const known =
    rest.length === 0 &&
    country in h.getCountries() &&
    (state === undefined || state in (h.getStates(country) ?? {}));
  if (!known) {
    throw new CalendarConfigError(`no holiday calendar for "${region}" (expected e.g. CA-QC)`);
  }
  h.init(country, state ?? '');
  return h;
}
