// Calibration helpers, applied to out-of-fold predictions (cross-fit.ts): temperature (min NLL),
// class centroids and radii, and the confidence threshold.
import { softmax } from '../classifier-core';

export function nll(logits: ArrayLike<number>[], y: number[], t: number): number {
  let sum = 0;
  logits.forEach((l, i) => {
    sum -= Math.log(Math.max(softmax(l, t)[y[i]], 1e-300));
  });
  return sum / logits.length;
}

/**
 * Golden-section search of log T in [log 0.05, log 500]; NLL is unimodal in T in practice. LDA
 * logits are scaled by the inverse covariance and need T ≈ 10–20, hence the wide upper bound.
 */
export function fitTemperature(logits: ArrayLike<number>[], y: number[]): number {
  let a = Math.log(0.05);
  let b = Math.log(500);
  const g = (Math.sqrt(5) - 1) / 2;
  let c = b - g * (b - a);
  let d = a + g * (b - a);
  for (let i = 0; i < 60; i++) {
    if (nll(logits, y, Math.exp(c)) < nll(logits, y, Math.exp(d))) b = d;
    else a = c;
    c = b - g * (b - a);
    d = a + g * (b - a);
  }
  return Math.exp((a + b) / 2);
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
