import { describe, expect, it } from 'vitest';
import { confidenceOf, PROBABLE_AT, RUNNER_UP_AT, runnerUpOf } from '../src/result/confidence';

const ranked = (...ps: number[]) => ps.map((probability, i) => ({ slug: `c${i}`, probability }));

describe('confidence in words', () => {
  it('is "probable" from PROBABLE_AT, "possible" below, "unsure" when the model abstained', () => {
    expect(confidenceOf(false, PROBABLE_AT)).toBe('probable');
    expect(confidenceOf(false, PROBABLE_AT - 0.01)).toBe('possible');
    expect(confidenceOf(true, 0.99)).toBe('unsure');
  });
});

describe('the runner-up to rule out', () => {
  it('is named under a "possible" answer when it holds a real share of the probability', () => {
    expect(runnerUpOf({ confidence: 'possible', ranked: ranked(0.5, 0.3, 0.1) })).toEqual({
      slug: 'c1',
      probability: 0.3,
    });
    expect(
      runnerUpOf({ confidence: 'possible', ranked: ranked(0.6, RUNNER_UP_AT, 0.1) })?.slug,
    ).toBe('c1');
  });

  it('is not named for a long shot, a "probable" answer, an abstention or a lone class', () => {
    expect(runnerUpOf({ confidence: 'possible', ranked: ranked(0.6, RUNNER_UP_AT - 0.01) })).toBe(
      null,
    );
    expect(runnerUpOf({ confidence: 'probable', ranked: ranked(0.7, 0.25) })).toBe(null);
    expect(runnerUpOf({ confidence: 'unsure', ranked: ranked(0.4, 0.35) })).toBe(null);
    expect(runnerUpOf({ confidence: 'possible', ranked: ranked(0.5) })).toBe(null);
  });
});
