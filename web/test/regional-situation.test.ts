import { describe, expect, it } from 'vitest';
import type { PublicCell } from '@phytodiag/api/contract';
import {
  confirmedInRegion,
  REGIONAL_WEEKS,
  regionalWindow,
} from '../src/surveillance/regional-situation';

describe('the weeks a result looks back over', () => {
  it('ends with the diagnosis week and spans REGIONAL_WEEKS Mondays', () => {
    // Thursday 2026-12-03: its week starts Monday 2026-11-30.
    expect(REGIONAL_WEEKS).toBe(4);
    expect(regionalWindow(new Date(2026, 11, 3, 15))).toEqual({
      from: '2026-11-09',
      to: '2026-11-30',
    });
  });

  it('crosses a year boundary', () => {
    expect(regionalWindow(new Date(2027, 0, 5, 9))).toEqual({
      from: '2026-12-14',
      to: '2027-01-04',
    });
  });

  it('follows the local calendar late on a Sunday (as the device reports do)', () => {
    expect(regionalWindow(new Date(2026, 11, 6, 23, 50)).to).toBe('2026-11-30');
  });
});

describe('confirmed cases per class in one region', () => {
  const cell = (regionCode: string, week: string, slug: string, count: number): PublicCell => ({
    regionCode,
    week,
    slug,
    count,
  });

  it('sums the weeks of the region and ignores the other regions', () => {
    const counts = confirmedInRegion(
      [
        cell('16', '2026-11-23', 'apple_scab', 3),
        cell('16', '2026-11-30', 'apple_scab', 4),
        cell('16', '2026-11-30', 'tomato_late_blight', 5),
        cell('03', '2026-11-30', 'apple_scab', 9),
      ],
      '16',
    );
    expect([...counts].sort()).toEqual([
      ['apple_scab', 7],
      ['tomato_late_blight', 5],
    ]);
  });

  it('leaves out a class with no published cell (unknown, not counted as zero)', () => {
    const counts = confirmedInRegion([cell('03', '2026-11-30', 'apple_scab', 3)], '16');
    expect(counts.size).toBe(0);
    expect(counts.has('apple_scab')).toBe(false);
  });
});
