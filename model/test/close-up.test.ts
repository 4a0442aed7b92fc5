// The second look at a refused photo: which view pickView keeps, and the centred close-up regions
// it is read on. The trained model's use of it is checked in train-export.test.ts and, browser
// against Node, in test/e2e/preprocess-parity.spec.ts.
import { describe, expect, it } from 'vitest';
import type { AbstainReason, ClassifierResult, CloseUp } from '../src/classifier-core';
import { pickView } from '../src/classifier-core';
import { centreSquare } from '../src/preprocess';

const CLOSE_UP: CloseUp = { shares: [0.75, 0.55], maxOodScore: 0.85 };

function result(slug: string, oodScore: number, reason: AbstainReason = null): ClassifierResult {
  return {
    ranked: [
      { slug, p: 0.9 },
      { slug: 'other', p: 0.1 },
    ],
    abstained: reason !== null,
    reason,
    modelVersion: 'v',
    oodScore,
    priorsApplied: false,
  };
}

describe('pickView', () => {
  it('keeps the whole photo when it is not refused, whatever its close-ups say', () => {
    const whole = result('apple_scab', 0.9);
    expect(pickView(whole, [result('corn_common_rust', 0.3)], CLOSE_UP)).toBe(whole);
  });

  it('reads a refused photo on the close-up nearest the bank, and says which', () => {
    const whole = result('apple_scab', 1.3, 'out_of_distribution');
    const picked = pickView(
      whole,
      [result('grape_black_rot', 0.7), result('corn_common_rust', 0.5)],
      CLOSE_UP,
    );
    expect(picked.ranked[0].slug).toBe('corn_common_rust');
    expect(picked.abstained).toBe(false);
    expect(picked.closeUpShare).toBe(0.55);
    // A near-tie of the whole photo gets the second look too.
    const tie = result('apple_scab', 0.6, 'low_confidence');
    expect(pickView(tie, [result('grape_black_rot', 0.7)], CLOSE_UP).closeUpShare).toBe(0.75);
  });

  it('holds close-ups to the stricter radius and to every test of the whole photo', () => {
    const whole = result('apple_scab', 1.3, 'out_of_distribution');
    // Inside the class radius (score ≤ 1) but not as near as the bank's own photos: refused.
    expect(pickView(whole, [result('grape_black_rot', 0.9)], CLOSE_UP)).toBe(whole);
    // Near, but refused on its own (e.g. by the ImageNet check or as a near-tie).
    expect(pickView(whole, [result('grape_black_rot', 0.4, 'out_of_distribution')], CLOSE_UP)).toBe(
      whole,
    );
    expect(pickView(whole, [result('grape_black_rot', 0.4, 'low_confidence')], CLOSE_UP)).toBe(
      whole,
    );
  });

  it('does nothing for a version without the second look', () => {
    const whole = result('apple_scab', 1.3, 'out_of_distribution');
    expect(pickView(whole, [result('grape_black_rot', 0.3)], undefined)).toBe(whole);
  });
});

describe('centreSquare', () => {
  it('gives the centred square, or a centred close-up of it', () => {
    expect(centreSquare(400, 300)).toEqual({ x: 50, y: 0, width: 300, height: 300 });
    expect(centreSquare(400, 300, 0.5)).toEqual({ x: 125, y: 75, width: 150, height: 150 });
    expect(centreSquare(3, 3, 0.01)).toEqual({ x: 1, y: 1, width: 1, height: 1 });
  });

  it('rejects a share outside (0, 1]', () => {
    for (const share of [0, -0.5, 1.5, Number.NaN])
      expect(() => centreSquare(10, 10, share)).toThrow(/share/);
  });
});
