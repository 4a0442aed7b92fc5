// The ImageNet check's pure parts: the low-rank factorisation, the cross-fitted class set and
// threshold, and the refusal rule in postprocess (the trained check is tested in
// train-export.test.ts on the real backbone).
import { describe, expect, it } from 'vitest';
import type { Calibration } from '../src/classifier-core';
import { imagenetMass, postprocess } from '../src/classifier-core';
import { lowRank } from '../src/node/imagenet-check';
import { fitImagenetCheck } from '../src/train/imagenet-classes';

/** Logits of `size` classes, `peak` higher at class `top`. */
function peaked(top: number, size = 10, peak = 6): Float32Array {
  const l = new Float32Array(size);
  l[top] = peak;
  return l;
}

describe('lowRank', () => {
  it('recovers a matrix of that rank exactly, with orthonormal columns', () => {
    const rows = 12;
    const cols = 9;
    // W = u1·v1ᵀ + u2·v2ᵀ (rank 2).
    const w = new Float64Array(rows * cols);
    for (let i = 0; i < rows; i++)
      for (let j = 0; j < cols; j++) w[i * cols + j] = (i + 1) * (j - 4) + Math.sin(i) * (j % 3);
    const { q, b } = lowRank(w, rows, cols, 2);
    for (let i = 0; i < rows; i++) {
      for (let j = 0; j < cols; j++) {
        const approx = q[i * 2] * b[j] + q[i * 2 + 1] * b[cols + j];
        expect(approx).toBeCloseTo(w[i * cols + j], 6);
      }
    }
    const dot = (a: number, c: number): number => {
      let s = 0;
      for (let i = 0; i < rows; i++) s += q[i * 2 + a] * q[i * 2 + c];
      return s;
    };
    expect(dot(0, 0)).toBeCloseTo(1, 9);
    expect(dot(1, 1)).toBeCloseTo(1, 9);
    expect(dot(0, 1)).toBeCloseTo(0, 9);
  });

  it('is deterministic', () => {
    const w = Float64Array.from({ length: 40 }, (_, i) => Math.cos(i * 1.7));
    expect(Array.from(lowRank(w, 8, 5, 3).q)).toEqual(Array.from(lowRank(w, 8, 5, 3).q));
  });
});

describe('fitImagenetCheck', () => {
  it('keeps the classes the photos are seen as, cross-fitted: a lone reading is an outlier', () => {
    // 20 photos seen as class 1 or 2, one seen as class 7 that no other photo shares.
    const logits = [...Array.from({ length: 20 }, (_, i) => peaked(1 + (i % 2))), peaked(7)];
    const folds = logits.map((_, i) => i % 5);
    const { check, oofMass } = fitImagenetCheck(logits, folds, 0.02);
    expect(check.classes).toEqual([1, 2, 7]);
    // Out of fold, the lone photo's class is unknown: its mass is low, everyone else's high.
    expect(oofMass[20]).toBeLessThan(0.05);
    for (const m of oofMass.slice(0, 20)) expect(m).toBeGreaterThan(0.9);
    // The 2 % quantile of 21 photos lies between the outlier and the rest: only it is refused.
    expect(check.minMass).toBeGreaterThan(oofMass[20]);
    expect(check.minMass).toBeLessThan(Math.min(...oofMass.slice(0, 20)));
  });

  it('refuses nothing when there is nothing to learn from', () => {
    expect(fitImagenetCheck([], []).check).toEqual({ classes: [], minMass: 0 });
  });
});

describe('postprocess with an ImageNet check', () => {
  const calibration: Calibration = {
    schema: 1,
    modelVersion: 'v-test',
    labels: ['a', 'b'],
    temperature: 1,
    abstention: {
      minConfidence: 0.2,
      distanceMetric: 'cosine-to-centroid',
      maxDistance: [2, 2], // the distance test never refuses here
      imagenet: { classes: [1, 2], minMass: 0.3 },
    },
    centroids: [
      [1, 0],
      [0, 1],
    ],
    priors: { classCrop: [null, null], otherCropFactor: 0.1, source: 'test' },
  };
  const logits = [3, 0];
  const embedding = [1, 0.1];

  it('accepts a photo ImageNet sees as the bank does', () => {
    const r = postprocess(logits, embedding, calibration, null, {}, peaked(2));
    expect(r.abstained).toBe(false);
    expect(r.imagenetMass).toBeCloseTo(imagenetMass(peaked(2), [1, 2]), 12);
  });

  it('refuses as unknown a photo ImageNet sees as something else', () => {
    const r = postprocess(logits, embedding, calibration, null, {}, peaked(5));
    expect(r.reason).toBe('out_of_distribution');
    expect(r.imagenetMass).toBeLessThan(0.3);
  });

  it('will not silently skip the check', () => {
    expect(() => postprocess(logits, embedding, calibration)).toThrow(/ImageNet/);
  });

  it('works as before for a version without the check', () => {
    const { imagenet: _, ...abstention } = calibration.abstention;
    const r = postprocess(logits, embedding, { ...calibration, abstention });
    expect(r.abstained).toBe(false);
    expect(r.imagenetMass).toBeUndefined();
  });
});
