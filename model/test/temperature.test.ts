// Temperature scaling, one temperature or one that rises with the photo's distance to the bank:
// the fit on synthetic predictions whose true reliability is known, and its use in postprocess.
import { describe, expect, it } from 'vitest';
import type { Calibration } from '../src/classifier-core';
import { postprocess, softmax, temperatureAt } from '../src/classifier-core';
import { fitTemperature, nll } from '../src/train/calibrate';
import { mulberry32 } from '../src/train/random';

const CLASSES = 4;

/** Index drawn from the probabilities `p`. */
function draw(p: number[], rnd: () => number): number {
  let u = rnd();
  for (let k = 0; k < p.length; k++) {
    u -= p[k];
    if (u < 0) return k;
  }
  return p.length - 1;
}

/**
 * `n` photos whose true class probabilities are softmax(z / trueT(score)); the model's logits are
 * z itself, so the ideal fit is T(x) = trueT(score). Scores spread evenly over [0, 1.2].
 */
function synthetic(n: number, trueT: (score: number) => number, seed = 7) {
  const rnd = mulberry32(seed);
  const logits: number[][] = [];
  const y: number[] = [];
  const scores: number[] = [];
  for (let i = 0; i < n; i++) {
    const score = (1.2 * i) / n;
    const top = Math.floor(rnd() * CLASSES);
    const z = Array.from({ length: CLASSES }, (_, k) => (k === top ? 12 : 4 * rnd()));
    logits.push(z);
    scores.push(score);
    y.push(draw(Array.from(softmax(z, trueT(score))), rnd));
  }
  return { logits, y, scores };
}

describe('fitTemperature', () => {
  it('recovers one temperature when reliability does not depend on distance', () => {
    const { logits, y, scores } = synthetic(3000, () => 3);
    const single = fitTemperature(logits, y);
    expect(single.slope).toBe(0);
    expect(single.temperature).toBeGreaterThan(2.7);
    expect(single.temperature).toBeLessThan(3.2);
    // Given the distances, it finds nothing to explain with them.
    const aware = fitTemperature(logits, y, scores);
    expect(aware.slope).toBeLessThan(0.15);
  });

  it('makes far photos less sure when they are wrong more often, and fits them better', () => {
    // True T doubles from the centre of a class to its radius (slope ln 2 ≈ 0.69).
    const trueT = (s: number): number => 2 * Math.exp(Math.LN2 * s);
    const { logits, y, scores } = synthetic(3000, trueT);
    const fitted = fitTemperature(logits, y, scores);
    expect(fitted.slope).toBeGreaterThan(0.5);
    expect(fitted.slope).toBeLessThan(0.9);
    expect(fitted.temperature).toBeGreaterThan(1.7);
    expect(fitted.temperature).toBeLessThan(2.4);
    const single = fitTemperature(logits, y);
    const tOf = (i: number): number => fitted.temperature * Math.exp(fitted.slope * scores[i]);
    expect(nll(logits, y, tOf)).toBeLessThan(nll(logits, y, single.temperature));
  });

  it('never lets a nearer photo be less sure (slope ≥ 0)', () => {
    // Far photos are *more* reliable here; the best allowed answer is a flat temperature.
    const { logits, y, scores } = synthetic(2000, (s) => 4 * Math.exp(-s));
    expect(fitTemperature(logits, y, scores).slope).toBeLessThan(0.05);
  });
});

describe('postprocess with a distance-aware temperature', () => {
  const calibration: Calibration = {
    schema: 1,
    modelVersion: 'v-test',
    labels: ['a', 'b'],
    temperature: 2,
    temperatureSlope: 1.5,
    abstention: {
      minConfidence: 0.2,
      distanceMetric: 'cosine-to-centroid',
      maxDistance: [1, 1],
    },
    centroids: [
      [1, 0],
      [0, 1],
    ],
    priors: { classCrop: [null, null], otherCropFactor: 0.1, source: 'test' },
  };
  const logits = [6, 0];

  it('uses T(x) = temperature · exp(slope · oodScore)', () => {
    // At the centroid of 'a' (score 0) T is the base temperature.
    const near = postprocess(logits, [1, 0], calibration);
    expect(near.oodScore).toBeCloseTo(0, 12);
    expect(near.ranked[0].p).toBeCloseTo(softmax(logits, 2)[0], 12);
    // Between the two centroids: cosine distance 1 − 1/√2 to each, radius 1.
    const far = postprocess(logits, [1, 1], calibration);
    const score = far.oodScore;
    expect(score).toBeCloseTo(1 - Math.SQRT1_2, 12);
    expect(far.ranked[0].p).toBeCloseTo(softmax(logits, temperatureAt(calibration, score))[0], 12);
    expect(far.ranked[0].p).toBeLessThan(near.ranked[0].p);
  });

  it('keeps one temperature for a version without a slope', () => {
    const { temperatureSlope: _, ...old } = calibration;
    expect(temperatureAt(old, 0.8)).toBe(2);
    const r = postprocess(logits, [0.9, 0.3], old);
    expect(r.ranked[0].p).toBeCloseTo(softmax(logits, 2)[0], 12);
  });
});
