import { describe, expect, it } from 'vitest';
import { weekStartOf } from '../src/detections/week';

describe('ISO week start (Monday, local date)', () => {
  it('maps every day of a week to its Monday', () => {
    // 2026-11-30 is a Monday; 2026-12-06 the Sunday after.
    for (let day = 30; day <= 36; day++) {
      const d = new Date(2026, 10, day, 9, 30);
      expect(weekStartOf(d), d.toDateString()).toBe('2026-11-30');
    }
    expect(weekStartOf(new Date(2026, 11, 7, 0, 0, 1))).toBe('2026-12-07');
  });

  it('uses the local calendar day, late on Sunday and early on Monday', () => {
    expect(weekStartOf(new Date(2026, 11, 6, 23, 59, 59))).toBe('2026-11-30');
    expect(weekStartOf(new Date(2026, 11, 7, 0, 0, 0))).toBe('2026-12-07');
  });

  it('crosses month and year boundaries (ISO week 1 of 2027 starts 2027-01-04)', () => {
    expect(weekStartOf(new Date(2027, 0, 1, 12))).toBe('2026-12-28');
    expect(weekStartOf(new Date(2027, 0, 3, 12))).toBe('2026-12-28');
    expect(weekStartOf(new Date(2027, 0, 4, 12))).toBe('2027-01-04');
    expect(weekStartOf(new Date(2024, 2, 1, 12))).toBe('2024-02-26'); // leap year
  });

  it('is stable across daylight-saving changes (America/Toronto in CI too)', () => {
    // 2026-03-08 (DST starts) and 2026-11-01 (DST ends) are Sundays.
    expect(weekStartOf(new Date(2026, 2, 8, 3, 30))).toBe('2026-03-02');
    expect(weekStartOf(new Date(2026, 2, 9, 1, 0))).toBe('2026-03-09');
    expect(weekStartOf(new Date(2026, 10, 1, 1, 30))).toBe('2026-10-26');
  });
});
