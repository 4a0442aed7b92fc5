import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config';
import { CalendarConfigError, createBusinessCalendar } from '../../src/lib/business-calendar';

const quebec = createBusinessCalendar({
  timeZone: 'America/Toronto',
  holidays: 'CA-QC',
  closedDays: ['01-02', '12-26'],
});
const due = (at: string, days = 2) => quebec.addBusinessDays(new Date(at), days).toISOString();

describe('business calendar: the service commitment clock', () => {
  it('skips weekends in Quebec time, at the same wall-clock hour', () => {
    // Friday 16:00 EDT → Tuesday 16:00; Monday 09:00 → Wednesday 09:00.
    expect(due('2026-06-05T20:00:00Z')).toBe('2026-06-09T20:00:00.000Z');
    expect(due('2026-06-08T13:00:00Z')).toBe('2026-06-10T13:00:00.000Z');
    // Saturday 01:00Z is still Friday 21:00 in Quebec: a Friday request, due Tuesday 21:00.
    expect(due('2026-06-06T01:00:00Z')).toBe('2026-06-10T01:00:00.000Z');
  });

  it('starts the clock of a request received on a closed day at the next business day', () => {
    // Saturday 10:00 → counted from Monday 00:00 → Wednesday 00:00 EDT, never before Monday's.
    expect(due('2026-06-06T14:00:00Z')).toBe('2026-06-10T04:00:00.000Z');
    expect(due('2026-06-06T14:00:00Z') <= due('2026-06-08T12:00:00Z')).toBe(true);
  });

  it('skips Quebec public holidays and the configured closures', () => {
    // Wednesday 23 Dec 10:00 EST: 24 Dec, then 25 (Christmas), 26 (closure), 27 (Sunday) → 28.
    expect(due('2026-12-23T15:00:00Z')).toBe('2026-12-28T15:00:00.000Z');
    // Monday 22 June: 23 June, then 24 (Fête nationale) → Thursday 25.
    expect(due('2026-06-22T14:00:00Z')).toBe('2026-06-25T14:00:00.000Z');
    // Good Friday and Easter Monday 2026 (3 and 6 April), Patriots' Day (18 May), 2 January.
    for (const day of ['2026-04-03', '2026-04-06', '2026-05-18', '2026-07-01', '2027-01-02']) {
      expect(quebec.isBusinessDay(day), day).toBe(false);
    }
    expect(quebec.isBusinessDay('2026-12-24')).toBe(true);
  });

  it('keeps the wall-clock hour across a daylight-saving change', () => {
    // Friday 6 March 10:00 EST; clocks go forward on Sunday 8 March → Tuesday 10:00 EDT.
    expect(due('2026-03-06T15:00:00Z')).toBe('2026-03-10T14:00:00.000Z');
    // Friday 30 October 10:00 EDT; back on Sunday 1 November → Tuesday 10:00 EST.
    expect(due('2026-10-30T14:00:00Z')).toBe('2026-11-03T15:00:00.000Z');
  });

  it('adds fractional days as hours, pushed past closed days', () => {
    // Friday 16:00 + 12 h = Saturday 04:00 → Monday 04:00 EDT.
    expect(due('2026-06-05T20:00:00Z', 0.5)).toBe('2026-06-08T08:00:00.000Z');
    expect(due('2026-06-08T13:00:00Z', 0.25)).toBe('2026-06-08T19:00:00.000Z');
  });

  it('lists the closed weekdays ahead (a closure on a Saturday is no weekday lost)', () => {
    // From Sunday 20 December 2026: Christmas (Friday), 26 December (a Saturday), New Year's
    // Day (Friday), 2 January (a Saturday).
    expect(quebec.closedWeekdays(new Date('2026-12-20T17:00:00Z'), 14)).toEqual([
      '2026-12-25',
      '2027-01-01',
    ]);
    // In 2027, Christmas is a Saturday (not moved) and 26 December a Sunday: taken on Monday.
    expect(quebec.closedWeekdays(new Date('2027-12-20T17:00:00Z'), 14)).toEqual(['2027-12-27']);
  });

  it('takes a Sunday holiday on the next weekday still open', () => {
    // 2029: the Fête nationale and Canada Day are Sundays; Monday 25 June and 2 July are closed.
    expect(quebec.closedWeekdays(new Date('2029-06-18T12:00:00Z'), 21)).toEqual([
      '2029-06-25',
      '2029-07-02',
    ]);
    // Friday 22 June 2029 10:00, two business days: Tuesday 26, Wednesday 27 at 10:00.
    expect(due('2029-06-22T14:00:00Z')).toBe('2029-06-27T14:00:00.000Z');
    // 2022: Sunday Christmas, Monday 26 December a closure of its own → Tuesday 27; the same for
    // Sunday 1 January 2023 and Monday 2 January → Tuesday 3.
    expect(quebec.closedWeekdays(new Date('2022-12-19T12:00:00Z'), 21)).toEqual([
      '2022-12-26',
      '2022-12-27',
      '2023-01-02',
      '2023-01-03',
    ]);
    // A one-off closure on a Sunday moves too, even across the new year.
    const once = createBusinessCalendar({
      timeZone: 'UTC',
      holidays: null,
      closedDays: ['2023-12-31'],
    });
    expect(once.closedWeekdays(new Date('2023-12-28T12:00:00Z'), 7)).toEqual(['2024-01-01']);
    // A lab that does not move them says so.
    const unmoved = createBusinessCalendar({
      timeZone: 'America/Toronto',
      holidays: 'CA-QC',
      closedDays: ['01-02', '12-26'],
      moveSundayHolidays: false,
    });
    expect(unmoved.closedWeekdays(new Date('2029-06-18T12:00:00Z'), 21)).toEqual([]);
    expect(unmoved.closedWeekdays(new Date('2022-12-19T12:00:00Z'), 21)).toEqual([
      '2022-12-26',
      '2023-01-02',
    ]);
  });

  it('counts weekends only without a holiday region, and one-off closures once', () => {
    const plain = createBusinessCalendar({
      timeZone: 'UTC',
      holidays: null,
      closedDays: ['2026-12-24'],
    });
    expect(plain.isBusinessDay('2026-12-25')).toBe(true);
    expect(plain.isBusinessDay('2026-12-24')).toBe(false);
    expect(plain.isBusinessDay('2027-12-24')).toBe(true);
  });

  it('refuses a region or a closed day it cannot read', () => {
    const make = (holidays: string | null, closedDays: string[]) => () =>
      createBusinessCalendar({ timeZone: 'UTC', holidays, closedDays });
    expect(make('XX-YY', [])).toThrow(CalendarConfigError);
    expect(make('CA-ZZ', [])).toThrow(/CA-ZZ/);
    expect(make(null, ['02-30'])).toThrow(/02-30/);
    expect(make(null, ['24-12'])).toThrow(CalendarConfigError);
    expect(make(null, ['02-29'])).not.toThrow();
  });
});

describe('loadConfig: the lab calendar', () => {
  it('defaults to Quebec holidays plus 2 January and 26 December', () => {
    const c = loadConfig({ NODE_ENV: 'test' });
    expect([c.serviceHolidays, c.serviceClosedDays]).toEqual(['CA-QC', ['01-02', '12-26']]);
    expect(c.serviceMovesSundayHolidays).toBe(true);
    expect(loadConfig({ SERVICE_SUNDAY_HOLIDAYS: 'lost' }).serviceMovesSundayHolidays).toBe(false);
    const none = loadConfig({ SERVICE_HOLIDAYS: 'none', SERVICE_CLOSED_DAYS: ' 2026-12-24 , ' });
    expect([none.serviceHolidays, none.serviceClosedDays]).toEqual([null, ['2026-12-24']]);
  });

  it('refuses to start with a zone, region or closed day it cannot use', () => {
    for (const env of [
      { SERVICE_TIMEZONE: 'America/Nowhere' },
      { SERVICE_HOLIDAYS: 'CA-XX' },
      { SERVICE_CLOSED_DAYS: '12-32' },
      { SERVICE_SUNDAY_HOLIDAYS: 'friday' },
    ]) {
      expect(() => loadConfig(env), JSON.stringify(env)).toThrow(ConfigError);
    }
  });
});
