import { describe, expect, it } from 'vitest';
import { searchOf, seriesData, tableCsvUrl } from '../src/surveillance/query';
import {
  addWeeks,
  isoWeekToMonday,
  mondayOf,
  mondayToIsoWeek,
  presetRange,
  seasonalPreset,
  weeksBetween,
} from '../src/surveillance/weeks';
import { initialPeriod } from '../src/components/period-filter';

describe('ISO weeks (UTC Mondays)', () => {
  it('finds the Monday of any day', () => {
    for (let d = 30; d <= 36; d++)
      expect(mondayOf(new Date(Date.UTC(2026, 10, d, 12)))).toBe('2026-11-30');
    expect(mondayOf(new Date(Date.UTC(2027, 0, 1)))).toBe('2026-12-28');
  });

  it('adds weeks and lists a range inclusively', () => {
    expect(addWeeks('2026-12-28', 1)).toBe('2027-01-04');
    expect(addWeeks('2026-03-02', -1)).toBe('2026-02-23');
    expect(weeksBetween('2026-11-16', '2026-11-30')).toEqual([
      '2026-11-16',
      '2026-11-23',
      '2026-11-30',
    ]);
    expect(weeksBetween('2026-11-30', '2026-11-16')).toEqual([]);
  });

  it('converts <input type="week"> values both ways, week 53 only where it exists', () => {
    expect(isoWeekToMonday('2026-W01')).toBe('2025-12-29');
    expect(isoWeekToMonday('2026-W49')).toBe('2026-11-30');
    expect(isoWeekToMonday('2026-W53')).toBe('2026-12-28'); // 2026 starts on a Thursday
    expect(isoWeekToMonday('2027-W53')).toBeNull();
    expect(isoWeekToMonday('2026-W00')).toBeNull();
    expect(isoWeekToMonday('')).toBeNull();
    expect(isoWeekToMonday('2026-11-30')).toBeNull();
    for (let w = addWeeks('2024-01-01', 0); w < '2028-01-01'; w = addWeeks(w, 1))
      expect(isoWeekToMonday(mondayToIsoWeek(w))).toBe(w);
    expect(mondayToIsoWeek('2025-12-29')).toBe('2026-W01');
  });

  it('presets end with the current week', () => {
    const today = new Date(Date.UTC(2026, 11, 2)); // a Wednesday
    expect(presetRange('last4', today)).toEqual({ from: '2026-11-09', to: '2026-11-30' });
    const r = presetRange('last12', today);
    expect(weeksBetween(r.from, r.to)).toHaveLength(12);
    expect(
      weeksBetween(...(Object.values(presetRange('last52', today)) as [string, string])),
    ).toHaveLength(52);
    // After October: the whole season of this year; before April: last year's.
    expect(presetRange('season', today)).toEqual({ from: '2026-03-30', to: '2026-10-26' });
    expect(presetRange('season', new Date(Date.UTC(2027, 1, 10)))).toEqual({
      from: '2026-03-30',
      to: '2026-10-26',
    });
    // In season: up to the current week.
    expect(presetRange('season', new Date(Date.UTC(2026, 5, 10)))).toEqual({
      from: '2026-03-30',
      to: '2026-06-08',
    });
  });

  it('opens the public view on the last 52 weeks off season, so it is not empty all winter', () => {
    const day = (y: number, m: number, d: number) => new Date(Date.UTC(y, m - 1, d));
    expect(seasonalPreset(day(2026, 3, 31))).toBe('last52');
    expect(seasonalPreset(day(2026, 4, 1))).toBe('last12');
    expect(seasonalPreset(day(2026, 7, 15))).toBe('last12');
    expect(seasonalPreset(day(2026, 10, 31))).toBe('last12');
    expect(seasonalPreset(day(2026, 11, 1))).toBe('last52');
    expect(seasonalPreset(day(2027, 1, 15))).toBe('last52');
    // The user's calendar day decides (local time), as for every preset.
    const december = initialPeriod('seasonal', new Date(2026, 11, 2, 23, 30));
    expect(december).toEqual({ preset: 'last52', ...presetRange('last52', day(2026, 12, 2)) });
    expect(initialPeriod('seasonal', new Date(2026, 6, 1, 0, 30)).preset).toBe('last12');
    // The 52 weeks hold the whole past season and the current week.
    expect(december.from <= '2026-03-30' && december.to === '2026-11-30').toBe(true);
  });
});

describe('surveillance queries', () => {
  it('builds a stable query string without empty filters', () => {
    expect(searchOf({})).toBe('');
    expect(
      searchOf({
        level: 'mrc',
        to: '2026-11-30',
        slug: 'corn_common_rust',
        crop: '',
        from: '2026-09-07',
      }),
    ).toBe('?slug=corn_common_rust&from=2026-09-07&to=2026-11-30&level=mrc');
    expect(searchOf({ crop: 'Maïs sucré & co' })).toBe('?crop=Ma%C3%AFs+sucr%C3%A9+%26+co');
  });

  it('the CSV link carries the table filters, not the map level', () => {
    expect(
      tableCsvUrl({ source: 'confirmed', level: 'mrc', regionCode: '16', from: '2026-11-02' }),
    ).toBe('/api/surveillance/table.csv?regionCode=16&from=2026-11-02&source=confirmed');
  });

  it('series: zero-filled over every week, most frequent classes first, capped', () => {
    const points = [
      { week: '2026-11-16', slug: 'a', confirmed: 1, device: 0 },
      { week: '2026-11-30', slug: 'a', confirmed: 0, device: 2 },
      { week: '2026-11-23', slug: 'b', confirmed: 5, device: 5 },
      { week: '2026-11-23', slug: 'c', confirmed: 0, device: 0 },
      { week: '2026-11-23', slug: 'd', confirmed: 1, device: 0 },
    ];
    const { slugs, data } = seriesData(points, '2026-11-16', '2026-11-30', 2);
    expect(slugs).toEqual(['b', 'a']);
    expect(data).toHaveLength(2 * 3 * 2);
    const a = data.filter((d) => d.slug === 'a');
    expect(a.map((d) => `${d.week}:${d.source}:${d.count}`)).toEqual([
      '2026-11-16:confirmed:1',
      '2026-11-16:device:0',
      '2026-11-23:confirmed:0',
      '2026-11-23:device:0',
      '2026-11-30:confirmed:0',
      '2026-11-30:device:2',
    ]);
    expect(seriesData([], '2026-11-16', '2026-11-30').slugs).toEqual([]);
  });
});
