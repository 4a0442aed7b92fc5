import { describe, expect, it } from 'vitest';
import { agreementRate, headlineMetrics } from '../src/lab/model-metrics';
import { href, parseRoute } from '../src/state/router';

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
    for (const name of ['models', 'agreement'] as const) {
      expect(parseRoute(href({ name }))).toEqual({ name });
    }
  });
});
