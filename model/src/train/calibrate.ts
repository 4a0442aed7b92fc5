// Calibration helpers, applied to out-of-fold predictions (cross-fit.ts): temperature (min NLL),
// class centroids and radii, and the confidence threshold.
import { softmax } from '../classifier-core';

/** Mean negative log-likelihood with a temperature per photo (`t(i)`) or one for all. */
export function nll(
  logits: ArrayLike<number>[],
  y: number[],
  t: number | ((i: number) => number),
): number {
  let sum = 0;
  logits.forEach((l, i) => {
    sum -= Math.log(Math.max(softmax(l, typeof t === 'number' ? t : t(i))[y[i]], 1e-300));
  });
  return sum / logits.length;
}

/** Golden-section search of the minimum of f on [a, b] (f unimodal there). */
function goldenMin(f: (x: number) => number, a: number, b: number, iterations: number): number {
  const g = (Math.sqrt(5) - 1) / 2;
  let c = b - g * (b - a);
  let d = a + g * (b - a);
  let fc = f(c);
  let fd = f(d);
  for (let i = 0; i < iterations; i++) {
    if (fc < fd) {
      [b, d, fd] = [d, c, fc];
      c = b - g * (b - a);
      fc = f(c);
    } else {
      [a, c, fc] = [c, d, fd];
      d = a + g * (b - a);
      fd = f(d);
    }
  }
  return (a + b) / 2;
}

/** Steepest distance-aware temperature tried: T doubles every 0.09 of oodScore. */
export const MAX_TEMPERATURE_SLOPE = 8;

export interface FittedTemperature {
  /** T at oodScore 0. */
  temperature: number;
  /** T(x) = temperature · exp(slope · oodScore(x)); 0 without scores. */
  slope: number;
}

/**
 * Minimum-NLL temperature. With each photo's oodScore, it fits T(x) = T0 · exp(slope · score):
 * photos far from their class centroid are wrong more often than one temperature says (out of
 * fold: 97 % right below half the radius, 83 % near it, at the same ~0.87 confidence), and a
 * photo unlike the whole bank (a field photo, a non-plant) gets flatter probabilities. The slope
 * is kept ≥ 0: nearer can never mean less sure. Golden-section search of log T in
 * [log 0.05, log 500] (LDA logits are scaled by the inverse covariance and need T ≈ 10–20), nested
 * in one of the slope in [0, MAX_TEMPERATURE_SLOPE]; NLL is unimodal in each in practice.
 * 25 × 20 steps leave log T within 5e-5 and the slope within 5e-4: each step is an NLL over the
 * whole bank, and more of them cost seconds of every retrain for no visible change.
 */
export function fitTemperature(
  logits: ArrayLike<number>[],
  y: number[],
  scores?: number[],
): FittedTemperature {
  const logTFor = (slope: number): number =>
    goldenMin(
      (logT) => nll(logits, y, (i) => Math.exp(logT + slope * (scores?.[i] ?? 0))),
      Math.log(0.05),
      Math.log(500),
      25,
    );
  const loss = (slope: number): number => {
    const logT = logTFor(slope);
    return nll(logits, y, (i) => Math.exp(logT + slope * (scores?.[i] ?? 0)));
  };
  const slope = scores ? goldenMin(loss, 0, MAX_TEMPERATURE_SLOPE, 20) : 0;
  return { temperature: Math.exp(logTFor(slope)), slope };
}

export function l2normalise(v: ArrayLike<number>): Float64Array {
  let n = 0;
  for (let i = 0; i < v.length; i++) n += v[i] * v[i];
  n = Math.sqrt(n) || 1;
  return Float64Array.from(v as ArrayLike<number>, (x) => x / n);
}

export function centroid(rows: ArrayLike<number>[]): number[] {
  const d = rows[0].length;
  const sum = new Float64Array(d);
  for (const r of rows) {
    const u = l2normalise(r);
    for (let j = 0; j < d; j++) sum[j] += u[j];
  }
  return Array.from(l2normalise(sum));
}

export function cosineDistance(unitCentroid: ArrayLike<number>, v: ArrayLike<number>): number {
  const u = l2normalise(v);
  let dot = 0;
  for (let j = 0; j < u.length; j++) dot += u[j] * unitCentroid[j];
  return 1 - dot;
}

/** Linear-interpolated quantile (q in [0, 1]). */
export function quantile(values: number[], q: number): number {
  if (values.length === 0) return NaN;
  const s = [...values].sort((a, b) => a - b);
  const pos = (s.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.min(lo + 1, s.length - 1);
  return s[lo] + (s[hi] - s[lo]) * (pos - lo);
}
