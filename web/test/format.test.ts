import { describe, expect, it } from 'vitest';
import {
  formatDateTime,
  formatDeadline,
  formatBytes,
  formatDay,
  formatDayMonth,
  formatFactor,
  formatList,
  formatMonth,
  formatPercent,
  formatProbability,
} from '../src/state/format';

describe('formatDateTime', () => {
  // A fixed local time, so the assertion does not depend on the machine's time zone.
  const at = new Date(2025, 5, 12, 16, 42, 57);

  // Non-breaking spaces (\u00a0) keep « 16 h 42 » and « 12 juin » on one line on a phone.
  it('shows the date and hours:minutes, never seconds', () => {
    const fr = formatDateTime(at.toISOString(), 'fr');
    expect(fr).toMatch(/12\u00a0juin 2025/);
    expect(fr).toMatch(/16\u00a0h\u00a042/);
    expect(fr).not.toMatch(/57|min|s\b/);
    const en = formatDateTime(at, 'en');
    expect(en).toMatch(/Jun\u00a012, 2025/);
    expect(en).toMatch(/4:42/);
    expect(en).not.toMatch(/:57/);
  });

  it('writes the first of the month « 1er » in French', () => {
    const first = new Date(2026, 11, 1, 14, 50);
    expect(formatDateTime(first, 'fr')).toBe('1er\u00a0déc. 2026, 14\u00a0h\u00a050');
    expect(formatDateTime(first, 'en')).toMatch(/^Dec\u00a01, 2026, 2:50[\u00a0\u202f]p\.m\.$/);
    expect(formatDateTime(new Date(2026, 11, 11, 14, 50), 'fr')).toMatch(/^11\u00a0déc\./);
  });

  it('a chart tick is the day and month, « 1er » on the first, in UTC', () => {
    expect(formatDayMonth(new Date('2026-10-01T00:00:00Z'), 'fr')).toBe('1er\u00a0oct.');
    expect(formatDayMonth(new Date('2026-11-30T00:00:00Z'), 'fr')).toBe('30\u00a0nov.');
    expect(formatDayMonth(new Date('2026-10-01T00:00:00Z'), 'en')).toBe('Oct\u00a01');
  });

  it('prints nothing for an invalid date rather than "Invalid Date"', () => {
    expect(formatDateTime('not a date', 'fr')).toBe('');
  });
});

describe('formatPercent', () => {
  it('writes a share as the UI language does: decimal comma and a space in French', () => {
    expect(formatPercent(0.8874, 'fr')).toBe('88,7\u00a0%');
    expect(formatPercent(0.8874, 'en')).toBe('88.7%');
    expect(formatPercent(1, 'fr')).toBe('100,0\u00a0%');
    expect(formatPercent(0.0004, 'en')).toBe('0.0%');
  });
});

describe('formatDay', () => {
  it('writes a calendar day in the UI language, the same day in every time zone', () => {
    // Formatted in UTC: a Monday stays a Monday west of Greenwich (Quebec is UTC−4/−5).
    expect(formatDay('2026-08-10', 'fr')).toBe('10\u00a0août 2026');
    expect(formatDay('2026-08-10', 'en')).toBe('Aug\u00a010, 2026');
    // French writes the first of the month as an ordinal.
    expect(formatDay('2026-01-01', 'fr')).toBe('1er\u00a0janv. 2026');
    expect(formatDay('2026-01-01', 'en')).toBe('Jan\u00a01, 2026');
    expect(formatDay('2026-10-01', 'fr', 'long')).toBe('1er\u00a0octobre 2026');
    expect(formatDay('2026-10-11', 'fr', 'long')).toBe('11\u00a0octobre 2026');
  });

  it('leaves text that is not a day as it came', () => {
    expect(formatDay('week 32', 'fr')).toBe('week 32');
  });
});

describe('formatMonth and formatFactor', () => {
  it('name a month and write a factor as the UI language does', () => {
    expect(formatMonth(7, 'fr')).toBe('juillet');
    expect(formatMonth(12, 'en')).toBe('December');
    expect(formatFactor(0.5, 'fr')).toBe('×0,5');
    expect(formatFactor(1.84, 'en')).toBe('×1.84');
    expect(formatFactor(2, 'fr')).toBe('×2');
  });
});

describe('formatProbability', () => {
  it('never rounds a model’s probability to a certainty', () => {
    expect(formatProbability(0.99996, 'fr')).toBe('>\u00a099,9\u00a0%');
    expect(formatProbability(1, 'en')).toBe('>\u00a099.9%');
    expect(formatProbability(0.0004, 'fr')).toBe('<\u00a00,1\u00a0%');
    expect(formatProbability(0, 'en')).toBe('<\u00a00.1%');
  });
  it('is the plain percentage in between', () => {
    expect(formatProbability(0.9994, 'fr')).toBe('99,9\u00a0%');
    expect(formatProbability(0.8874, 'en')).toBe('88.7%');
    expect(formatProbability(0.0005, 'en')).toBe('0.1%');
  });
});

describe('formatList', () => {
  it('joins items as each language writes a list', () => {
    expect(formatList(['1'], 'fr')).toBe('1');
    expect(formatList(['1', '3', '4'], 'fr')).toBe('1, 3 et 4');
    expect(formatList(['1', '3', '4'], 'en')).toBe('1, 3 and 4');
  });
});

describe('formatBytes', () => {
  it('writes a size in the largest unit under 1000, as each language does', () => {
    expect(formatBytes(11_000_000, 'en')).toBe('11\u00a0MB');
    expect(formatBytes(10_748_400_000, 'en')).toBe('10.7\u00a0GB');
    expect(formatBytes(10_748_400_000, 'fr')).toBe('10,7\u00a0Go');
    expect(formatBytes(2_540_000, 'fr')).toBe('2,5\u00a0Mo');
    expect(formatBytes(40, 'fr')).toBe('1\u00a0ko');
  });
});

describe('formatDeadline', () => {
  it('words a midnight deadline as the end of the day before, any other as date and time', () => {
    // Local midnight starting 2 December: due by the end of 1 December.
    const midnight = new Date(2026, 11, 2, 0, 0).toISOString();
    expect(formatDeadline(midnight, 'fr')).toEqual({ endOfDay: true, text: '1er\u00a0déc. 2026' });
    expect(formatDeadline(midnight, 'en')).toEqual({ endOfDay: true, text: 'Dec\u00a01, 2026' });
    // The first of a month: the end of the previous month.
    expect(formatDeadline(new Date(2027, 0, 1).toISOString(), 'fr').text).toBe('31\u00a0déc. 2026');
    const afternoon = new Date(2026, 11, 2, 14, 30).toISOString();
    expect(formatDeadline(afternoon, 'fr')).toEqual({
      endOfDay: false,
      text: formatDateTime(afternoon, 'fr'),
    });
    expect(formatDeadline('not a date', 'fr')).toEqual({ endOfDay: false, text: '' });
  });
});
