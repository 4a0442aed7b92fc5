// Context priors at inference: the declared crop, then the region and season factors by slug.
import { describe, expect, it } from 'vitest';
import { CONTEXT_FACTOR_RANGE, applyPriors } from '../src/classifier-core';

const labels = ['tomato_late_blight', 'potato_late_blight', 'insect_mealybug'];
const rules = { classCrop: ['tomato', 'potato', null], otherCropFactor: 0.1, source: 'test' };
const p = [0.5, 0.3, 0.2];

function sum(a: ArrayLike<number>): number {
  return Array.from(a).reduce((s, x) => s + x, 0);
}

describe('applyPriors', () => {
  it('weighs each class by its region/season factor, keyed by slug, and renormalises', () => {
    const out = applyPriors(
      p,
      rules,
      { factors: { tomato_late_blight: 0.5, insect_mealybug: 2 } },
      labels,
    );
    // 0.25 : 0.3 : 0.4 → / 0.95
    expect(Array.from(out)).toEqual(
      [0.25 / 0.95, 0.3 / 0.95, 0.4 / 0.95].map((x) => expect.closeTo(x, 12)),
    );
    expect(sum(out)).toBeCloseTo(1, 12);
  });

  it('clips a factor to the mild range, so the photo keeps the last word', () => {
    const wild = applyPriors(
      p,
      rules,
      { factors: { tomato_late_blight: 0.001, insect_mealybug: 50 } },
      labels,
    );
    const mild = applyPriors(
      p,
      rules,
      {
        factors: {
          tomato_late_blight: CONTEXT_FACTOR_RANGE.min,
          insect_mealybug: CONTEXT_FACTOR_RANGE.max,
        },
      },
      labels,
    );
    expect(Array.from(wild)).toEqual(Array.from(mild));
    // A clear photo is not overturned by the season: 0.9 × 0.5 still beats 0.1 × 2.
    const clear = applyPriors(
      [0.9, 0.05, 0.05],
      rules,
      { factors: { tomato_late_blight: 0, insect_mealybug: 99 } },
      labels,
    );
    expect(clear[0]).toBeGreaterThan(clear[2]);
  });

  it('combines the declared crop with the season', () => {
    const out = applyPriors(p, rules, { crop: 'tomato', factors: { insect_mealybug: 2 } }, labels);
    // 0.5 : 0.03 : 0.4
    expect(out[1] / out[0]).toBeCloseTo(0.03 / 0.5, 12);
    expect(out[2] / out[0]).toBeCloseTo(0.4 / 0.5, 12);
  });

  it('changes nothing without a crop of the bank or factors, and ignores unknown slugs', () => {
    expect(Array.from(applyPriors(p, rules, {}, labels))).toEqual(p);
    expect(Array.from(applyPriors(p, rules, { crop: 'cucumber', factors: null }, labels))).toEqual(
      p,
    );
    const out = applyPriors(
      p,
      rules,
      { factors: { grape_esca: 2, tomato_late_blight: Number.NaN } },
      labels,
    );
    expect(Array.from(out)).toEqual(p.map((x) => expect.closeTo(x, 12)));
  });
});
