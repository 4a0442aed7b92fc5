import type { PrivacyTerms } from '@phytodiag/api/contract';
import { apiJson } from '../api/http';

/**
 * The API's default retention (api/src/config.ts, RETENTION_*): what the notice says offline
 * before this device ever fetched the server's own. web/test/privacy-terms.test.ts checks that
 * the two agree.
 */
export const DEFAULT_PRIVACY_TERMS: PrivacyTerms = {
  retention: { closedCaseContactDays: 365, deviceDetectionWeeks: 156, accessLogDays: 730 },
};

/** Cached by the service worker like every /api/public/ answer: the last copy offline. */
export const fetchPrivacyTerms = () => apiJson<PrivacyTerms>('/api/public/privacy-terms');

export type PeriodUnit = 'years' | 'months' | 'weeks' | 'days';

/**
 * A period in the largest unit it is a whole number of (365 days → 1 year, 156 weeks → 3 years,
 * 90 days → 3 months), so that a notice reads « un an », not « 365 jours ».
 */
export function periodOf(length: { days: number } | { weeks: number }): {
  unit: PeriodUnit;
  count: number;
} {
  if ('weeks' in length) {
    const { weeks } = length;
    return weeks % 52 === 0
      ? { unit: 'years', count: weeks / 52 }
      : { unit: 'weeks', count: weeks };
  }
  const { days } = length;
  if (days % 365 === 0) return { unit: 'years', count: days / 365 };
  if (days % 30 === 0) return { unit: 'months', count: days / 30 };
  if (days % 7 === 0) return { unit: 'weeks', count: days / 7 };
  return { unit: 'days', count: days };
}
