// The second look: when a photo needs it, which view pickView keeps, and the centred close-ups
// it is read on. The trained model's use of it is checked in train-export.test.ts and, browser
// against Node, in test/e2e/preprocess-parity.spec.ts.
import { describe, expect, it } from 'vitest';
import type { AbstainReason, ClassifierResult, CloseUp } from '../src/classifier-core';
import { needsCloseUps, pickView } from '../src/classifier-core';
import { INPUT_SIZE, centreSquare, closeUpRegions } from '../src/preprocess';

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

/** Close-up results at the shares 0.75 then 0.55. */
const views = (...results: ClassifierResult[]) =>
  results.map((result, i) => ({ share: CLOSE_UP.shares[i], result }));

describe('pickView', () => {
  it('reads a photo as near the bank as the bank itself as a whole, whatever its close-ups', () => {
    const whole = result('apple_scab', 0.8);
    expect(needsCloseUps(whole, CLOSE_UP)).toBe(false);
    expect(pickView(whole, views(result('corn_common_rust', 0.3)), CLOSE_UP)).toBe(whole);
  });

  it('reads a refused photo on the close-up nearest the bank, and says which', () => {
    const whole = result('apple_scab', 1.3, 'out_of_distribution');
    expect(needsCloseUps(whole, CLOSE_UP)).toBe(true);
    const picked = pickView(
      whole,
      views(result('grape_black_rot', 0.7), result('corn_common_rust', 0.5)),
      CLOSE_UP,
    );
    expect(picked.ranked[0].slug).toBe('corn_common_rust');
    expect(picked.abstained).toBe(false);
    expect(picked.closeUpShare).toBe(0.55);
    // A near-tie of the whole photo gets the second look too.
    const tie = result('apple_scab', 0.6, 'low_confidence');
    expect(pickView(tie, views(result('grape_black_rot', 0.7)), CLOSE_UP).closeUpShare).toBe(0.75);
  });

  it('weighs an accepted but atypical photo against its close-ups, nearest wins', () => {
    const whole = result('apple_scab', 0.95);
    expect(needsCloseUps(whole, CLOSE_UP)).toBe(true);
    const nearer = pickView(whole, views(result('grape_black_rot', 0.6)), CLOSE_UP);
    expect(nearer.ranked[0].slug).toBe('grape_black_rot');
    expect(nearer.closeUpShare).toBe(0.75);
    // Close-ups no nearer than the whole photo (or not within the stricter radius): the whole.
    const kept = pickView(whole, views(result('grape_black_rot', 0.96)), CLOSE_UP);
    expect(kept).toBe(whole);
    expect(kept.closeUpShare).toBeUndefined();
  });

  it('holds close-ups to the stricter radius and to every test of the whole photo', () => {
    const whole = result('apple_scab', 1.3, 'out_of_distribution');
    // Inside the class radius (score ≤ 1) but not as near as the bank's own photos: refused.
    expect(pickView(whole, views(result('grape_black_rot', 0.9)), CLOSE_UP)).toBe(whole);
    // Near, but refused on its own (e.g. by the ImageNet check or as a near-tie).
    for (const reason of ['out_of_distribution', 'low_confidence'] as const)
      expect(pickView(whole, views(result('grape_black_rot', 0.4, reason)), CLOSE_UP)).toBe(whole);
  });

  it('does nothing for a version without the second look', () => {
    const whole = result('apple_scab', 1.3, 'out_of_distribution');
    expect(needsCloseUps(whole, undefined)).toBe(false);
    expect(pickView(whole, views(result('grape_black_rot', 0.3)), undefined)).toBe(whole);
  });
});

describe('close-up regions', () => {
  it('centreSquare gives the centred square, or a centred close-up of it', () => {
    expect(centreSquare(400, 300)).toEqual({ x: 50, y: 0, width: 300, height: 300 });
    expect(centreSquare(400, 300, 0.5)).toEqual({ x: 125, y: 75, width: 150, height: 150 });
    expect(centreSquare(3, 3, 0.01)).toEqual({ x: 1, y: 1, width: 1, height: 1 });
  });

  it('centreSquare rejects a share outside (0, 1]', () => {
    for (const share of [0, -0.5, 1.5, Number.NaN])
      expect(() => centreSquare(10, 10, share)).toThrow(/share/);
  });

  it('keeps only close-ups with at least the model input of pixels (never upscaled)', () => {
    const shares = CLOSE_UP.shares;
    expect(closeUpRegions(4032, 3024, shares).map((c) => c.share)).toEqual([0.75, 0.55]);
    expect(closeUpRegions(4032, 3024, shares)[1].region).toEqual(centreSquare(4032, 3024, 0.55));
    // A 320-px photo: 240 px at 0.75 is enough, 176 px at 0.55 is not.
    expect(closeUpRegions(320, 480, shares).map((c) => c.share)).toEqual([0.75]);
    expect(closeUpRegions(256, 256, shares)).toEqual([]);
    const side = Math.ceil(INPUT_SIZE / 0.55);
    expect(closeUpRegions(side, side, shares)).toHaveLength(2);
  });
});
