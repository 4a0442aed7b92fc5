import { describe, expect, it } from 'vitest';
import { gateCheckText } from '../src/lab/gate-text';
import { agreementRate, headlineMetrics } from '../src/lab/model-metrics';
import { href, parseRoute } from '../src/state/router';
import { translator } from './translator';

describe('headlineMetrics', () => {
  it('reads top-1 and ECE from a metrics.json test split', () => {
    expect(headlineMetrics({ top1: 0.82, top3: 0.95, ece: 0.04, n: 120 })).toEqual({
      top1: 0.82,
      ece: 0.04,
    });
  });

  it('reports absent values as null, never as 0', () => {
    expect(headlineMetrics(null)).toEqual({ top1: null, ece: null });
    expect(headlineMetrics('0.9')).toEqual({ top1: null, ece: null });
    expect(headlineMetrics({ top1: '0.9', ece: Number.NaN })).toEqual({ top1: null, ece: null });
    expect(headlineMetrics({ top1: 0 })).toEqual({ top1: 0, ece: null });
  });
});

describe('agreementRate', () => {
  it('is the agreeing share, or null with no case to compare', () => {
    expect(agreementRate(3, 4)).toBe(0.75);
    expect(agreementRate(0, 0)).toBeNull();
  });
});

describe('lab statistics routes', () => {
  it('round-trips the models and agreement screens', () => {
    for (const name of ['models', 'agreement', 'bankMine', 'bankReview', 'bankUpload'] as const) {
      expect(parseRoute(href({ name }))).toEqual({ name });
    }
  });
});

describe('gate refusal reasons', () => {
  const names = (slug: string) => (slug === 'corn_common_rust' ? 'Rouille commune du maïs' : slug);
  const check = {
    baseline: 1,
    candidate: 0.6667,
    delta: -0.3333,
    tolerance: 0.3333,
    ok: false,
  };

  it('are written from the check numbers, in the reader’s language', async () => {
    // Intl writes « 100,0 % » with a narrow no-break space.
    const text = (...args: Parameters<typeof gateCheckText>) =>
      gateCheckText(...args).replace(/[\u00a0\u202f]/g, ' ');
    const t = await translator('fr');
    expect(text({ ...check, metric: 'class_top1', slug: 'corn_common_rust' }, t, 'fr', names)).toBe(
      'Top-1 de « Rouille commune du maïs » en baisse : 100,0 % → 66,7 % (-33,3 points; tolérance 33,3 points)',
    );
    expect(
      text(
        {
          metric: 'ece',
          baseline: 0.0328,
          candidate: 0.051,
          delta: 0.0182,
          tolerance: 0.01,
          ok: false,
        },
        t,
        'fr',
        names,
      ),
    ).toBe('ECE en hausse : 3,3 % → 5,1 % (+1,8 point; tolérance 1 point)');
    const tEn = await translator('en');
    expect(
      text(
        {
          metric: 'top1',
          baseline: 0.9133,
          candidate: 0.89,
          delta: -0.0233,
          tolerance: 0.01,
          ok: false,
        },
        tEn,
        'en',
        names,
      ),
    ).toBe('Top-1 dropped: 91.3% → 89.0% (-2.3 points; tolerance 1 point)');
  });
});
