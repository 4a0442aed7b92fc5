import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../api/src/config';
import { DEFAULT_PRIVACY_TERMS, periodOf } from '../src/privacy/privacy-terms';
import { translator } from './translator';

describe('privacy notice retention periods', () => {
  it('are said in the largest whole unit', () => {
    expect(periodOf({ days: 365 })).toEqual({ unit: 'years', count: 1 });
    expect(periodOf({ days: 730 })).toEqual({ unit: 'years', count: 2 });
    expect(periodOf({ days: 90 })).toEqual({ unit: 'months', count: 3 });
    expect(periodOf({ days: 14 })).toEqual({ unit: 'weeks', count: 2 });
    expect(periodOf({ days: 400 })).toEqual({ unit: 'days', count: 400 });
    expect(periodOf({ weeks: 156 })).toEqual({ unit: 'years', count: 3 });
    expect(periodOf({ weeks: 4 })).toEqual({ unit: 'weeks', count: 4 });
  });

  it('read as words in both languages', async () => {
    const fr = await translator('fr');
    const en = await translator('en');
    expect(fr('privacyNotice.period.years', { count: 1 })).toBe('un an');
    expect(fr('privacyNotice.period.months', { count: 3 })).toBe('3 mois');
    expect(en('privacyNotice.period.years', { count: 2 })).toBe('2 years');
  });

  it('default to the API’s own defaults (shown offline before the first fetch)', () => {
    expect(DEFAULT_PRIVACY_TERMS.retention).toEqual(loadConfig({}).retention);
  });
});
