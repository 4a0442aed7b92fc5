import type { TFunction } from 'i18next';
import type { GateReport } from '@phytodiag/api/contract';
import type { Lang } from '../db/types';
import { formatPercent } from '../state/format';

type GateCheck = GateReport['checks'][number];

/** Percentage points, signed (a change) or not (a tolerance), made once like format.ts's. */
const POINTS: Record<Lang, Record<'signed' | 'plain', Intl.NumberFormat>> = {
  fr: {
    signed: new Intl.NumberFormat('fr-CA', { maximumFractionDigits: 1, signDisplay: 'exceptZero' }),
    plain: new Intl.NumberFormat('fr-CA', { maximumFractionDigits: 1 }),
  },
  en: {
    signed: new Intl.NumberFormat('en-CA', { maximumFractionDigits: 1, signDisplay: 'exceptZero' }),
    plain: new Intl.NumberFormat('en-CA', { maximumFractionDigits: 1 }),
  },
};

/**
 * One failed check of the non-regression gate, in the reader's language, from its numbers (the
 * report's own `reasons` are the training log's English lines): « Top-1 de Rouille commune du
 * maïs en baisse : 100,0 % → 66,7 % (−33,3 points; tolérance 33,3 points) ».
 */
export function gateCheckText(
  c: GateCheck,
  t: TFunction,
  lang: Lang,
  className: (slug: string) => string,
): string {
  // « 1 point », « 1,5 point » (French singular below 2), « 2,3 points »: the language's rule.
  const pts = (share: number, signed: boolean) => {
    const value = Math.round(share * 1000) / 10;
    return t('models.points', {
      count: Math.abs(value),
      value: POINTS[lang][signed ? 'signed' : 'plain'].format(value),
    });
  };
  const values = {
    baseline: formatPercent(c.baseline, lang),
    candidate: formatPercent(c.candidate, lang),
    delta: pts(c.delta, true),
    tolerance: pts(c.tolerance, false),
  };
  if (c.metric === 'class_top1') {
    return t('models.gateCheck.class_top1', { ...values, name: className(c.slug ?? '?') });
  }
  return t(`models.gateCheck.${c.metric}`, values);
}
