// Shrinkage linear discriminant analysis on standardised embeddings: class means + one shared,
// shrunk covariance. On frozen MobileNet features with ~50 photos per class it beats the trained
// softmax head by ~4–5 points of top-1 (measured on the validation split, see model/README.md),
// it is closed-form (no seed, no epochs) and it is linear, so it ships as the same dense layer.
//
// The scatter statistics are sums over rows, so they are computed once per cross-fitting fold and
// added up: fitting K fold models + the final one costs one pass over the data plus K+1 solves.
import { tf } from '../node/tf-backend';
import type { HeadWeights } from './head';
import { readAndDispose } from '../read-tensor';

/** Per-feature mean and standard deviation (from the fitting rows, label-free). */
export interface Standardiser {
  mean: Float64Array;
  std: Float64Array;
}

export function standardiser(x: ArrayLike<number>[]): Standardiser {
  const n = x.length;
  const d = x[0].length;
  const mean = new Float64Array(d);
  const std = new Float64Array(d);
  for (const row of x) for (let j = 0; j < d; j++) mean[j] += row[j] / n;
  for (const row of x) for (let j = 0; j < d; j++) std[j] += (row[j] - mean[j]) ** 2 / n;
  for (let j = 0; j < d; j++) std[j] = Math.sqrt(std[j]) + 1e-3;
  return { mean, std };
}

/** Additive sufficient statistics of a set of standardised rows. */
export interface LdaStats {
  d: number;
  classes: number;
  /** Σ z zᵀ, d×d row-major. */
  gram: Float64Array;
  /** Σ z per class, classes×d. */
  sums: Float64Array;
  counts: Float64Array;
}

export function emptyStats(d: number, classes: number): LdaStats {
  return {
    d,
    classes,
    gram: new Float64Array(d * d),
    sums: new Float64Array(classes * d),
    counts: new Float64Array(classes),
  };
}

/** Statistics of `rows` (raw embeddings), standardised with `s`. The Gram matrix runs in TF.js. */
export function ldaStats(
  rows: ArrayLike<number>[],
  y: number[],
  classes: number,
  s: Standardiser,
): LdaStats {
  const d = s.mean.length;
  const out = emptyStats(d, classes);
  if (rows.length === 0) return out;
  const z = new Float32Array(rows.length * d);
  rows.forEach((row, i) => {
    const base = i * d;
    const sumBase = y[i] * d;
    for (let j = 0; j < d; j++) {
      const v = (row[j] - s.mean[j]) / s.std[j];
      z[base + j] = v;
      out.sums[sumBase + j] += v;
    }
    out.counts[y[i]]++;
  });
  // zᵀz with zᵀ materialised: the WASM backend's transposeA path was ~3× slower (measured).
  const gram = tf.tidy(() => {
    const t = tf.tensor2d(z, [rows.length, d]);
    return tf.matMul(tf.transpose(t), t);
  });
  out.gram.set(readAndDispose(gram)[0]);
  return out;
}

export function addStats(parts: LdaStats[]): LdaStats {
  const out = emptyStats(parts[0].d, parts[0].classes);
  for (const p of parts) {
    for (let i = 0; i < p.gram.length; i++) out.gram[i] += p.gram[i];
    for (let i = 0; i < p.sums.length; i++) out.sums[i] += p.sums[i];
    for (let i = 0; i < p.counts.length; i++) out.counts[i] += p.counts[i];
  }
  return out;
}

/** In-place Cholesky factorisation (lower triangle, row-major) of a symmetric positive matrix. */
function cholesky(a: Float64Array, n: number): void {
  for (let j = 0; j < n; j++) {
    const rj = j * n;
    let diag = a[rj + j];
    for (let k = 0; k < j; k++) diag -= a[rj + k] * a[rj + k];
    if (!(diag > 0)) throw new Error('LDA covariance is not positive definite');
    const l = Math.sqrt(diag);
    a[rj + j] = l;
    // Four rows at a time share each load of row j: same sums in the same order (bit-identical),
    // ~2× faster on the 2496-d covariance, whose 6 factorisations dominate a retrain.
    let i = j + 1;
    for (; i + 3 < n; i += 4) {
      const r0 = i * n;
      const r1 = r0 + n;
      const r2 = r1 + n;
      const r3 = r2 + n;
      let t0 = a[r0 + j];
      let t1 = a[r1 + j];
      let t2 = a[r2 + j];
      let t3 = a[r3 + j];
      for (let k = 0; k < j; k++) {
        const v = a[rj + k];
        t0 -= a[r0 + k] * v;
        t1 -= a[r1 + k] * v;
        t2 -= a[r2 + k] * v;
        t3 -= a[r3 + k] * v;
      }
      a[r0 + j] = t0 / l;
      a[r1 + j] = t1 / l;
      a[r2 + j] = t2 / l;
      a[r3 + j] = t3 / l;
    }
    for (; i < n; i++) {
      const ri = i * n;
      let t = a[ri + j];
      for (let k = 0; k < j; k++) t -= a[ri + k] * a[rj + k];
      a[ri + j] = t / l;
    }
  }
}

/** Solves (L Lᵀ) x = b for one right-hand side, L from cholesky(). */
function choleskySolve(l: Float64Array, n: number, b: Float64Array): Float64Array {
  const x = Float64Array.from(b);
  for (let i = 0; i < n; i++) {
    const ri = i * n;
    let t = x[i];
    for (let k = 0; k < i; k++) t -= l[ri + k] * x[k];
    x[i] = t / l[ri + i];
  }
  for (let i = n - 1; i >= 0; i--) {
    let t = x[i];
    for (let k = i + 1; k < n; k++) t -= l[k * n + i] * x[k];
    x[i] = t / l[i * n + i];
  }
  return x;
}

/**
 * Fits LDA from statistics: within-class covariance S, shrunk toward its mean variance
 * (S' = (1−λ)S + λ·tr(S)/d·I), logit_k = μₖᵀS'⁻¹z − ½μₖᵀS'⁻¹μₖ + log πₖ, with the standardisation
 * folded in so the head takes raw embeddings. A class absent from the statistics (possible in a
 * cross-fitting fold of a tiny bank) gets a logit far below the others instead of a NaN.
 */
export function fitLda(stats: LdaStats, shrinkage: number, s: Standardiser): HeadWeights {
  const { d, classes, counts, sums } = stats;
  const means = classMeans(sums, counts, d);
  const nPresent = counts.filter((c) => c > 0).length;
  // Within-class scatter = Σ z zᵀ − Σₖ nₖ μₖ μₖᵀ.
  const cov = Float64Array.from(stats.gram);
  for (let k = 0; k < classes; k++) {
    if (counts[k] === 0) continue;
    const mk = means.subarray(k * d, (k + 1) * d);
    for (let i = 0; i < d; i++) {
      const f = counts[k] * mk[i];
      const ri = i * d;
      for (let j = 0; j < d; j++) cov[ri + j] -= f * mk[j];
    }
  }
  const dof = Math.max(1, counts.reduce((a, b) => a + b, 0) - nPresent);
  let trace = 0;
  for (let i = 0; i < d; i++) trace += cov[i * d + i] / dof;
  const { scale, ridge } = shrunk(shrinkage, trace, d, dof);
  for (let i = 0; i < d * d; i++) cov[i] *= scale;
  for (let i = 0; i < d; i++) cov[i * d + i] += ridge;
  cholesky(cov, d);
  return assemble(means, counts, (m) => choleskySolve(cov, d, m), s);
}

/**
 * The same LDA from the rows themselves, for fewer rows n than features d (a small bank, a
 * retrain on few photos): with R the n×d within-class residuals, Woodbury's identity gives
 * (ridge·I + scale·RᵀR)⁻¹μ = (μ − Rᵀ(ridge/scale·I + RRᵀ)⁻¹Rμ) / ridge, an n×n solve instead of
 * a d×d one. Equal to fitLda(ldaStats(...)) up to rounding (tested).
 */
export function fitLdaRows(
  x: ArrayLike<number>[],
  y: number[],
  classes: number,
  shrinkage: number,
  s: Standardiser,
): HeadWeights {
  const d = s.mean.length;
  const n = x.length;
  const counts = new Float64Array(classes);
  const sums = new Float64Array(classes * d);
  const z = x.map((row, i) => {
    const v = Float64Array.from({ length: d }, (_, j) => (row[j] - s.mean[j]) / s.std[j]);
    counts[y[i]]++;
    for (let j = 0; j < d; j++) sums[y[i] * d + j] += v[j];
    return v;
  });
  const means = classMeans(sums, counts, d);
  const r = z.map((v, i) => v.map((e, j) => e - means[y[i] * d + j]));
  const nPresent = counts.filter((c) => c > 0).length;
  const dof = Math.max(1, n - nPresent);
  const trace = r.reduce((a, v) => a + v.reduce((b, e) => b + e * e, 0), 0) / dof;
  const { scale, ridge } = shrunk(shrinkage, trace, d, dof);
  const dot = (a: Float64Array, b: ArrayLike<number>): number => {
    let t = 0;
    for (let j = 0; j < d; j++) t += a[j] * b[j];
    return t;
  };
  const solve = (m: Float64Array): Float64Array => {
    if (scale === 0 || n === 0) return m.map((v) => v / ridge);
    const k = new Float64Array(n * n);
    for (let i = 0; i < n; i++)
      for (let j = 0; j <= i; j++) k[i * n + j] = k[j * n + i] = dot(r[i], r[j]);
    for (let i = 0; i < n; i++) k[i * n + i] += ridge / scale;
    cholesky(k, n);
    const a = choleskySolve(
      k,
      n,
      Float64Array.from(r, (ri) => dot(ri, m)),
    );
    const out = Float64Array.from(m);
    r.forEach((ri, i) => {
      for (let j = 0; j < d; j++) out[j] -= ri[j] * a[i];
    });
    return out.map((v) => v / ridge);
  };
  return assemble(means, counts, solve, s);
}

function classMeans(sums: Float64Array, counts: Float64Array, d: number): Float64Array {
  const means = new Float64Array(sums.length);
  counts.forEach((c, k) => {
    if (c > 0) for (let j = 0; j < d; j++) means[k * d + j] = sums[k * d + j] / c;
  });
  return means;
}

/** S' = scale·scatter + ridge·I; the ridge floor keeps it invertible when λ = 0 and n < d. */
function shrunk(
  shrinkage: number,
  trace: number,
  d: number,
  dof: number,
): { scale: number; ridge: number } {
  return { scale: (1 - shrinkage) / dof, ridge: Math.max((shrinkage * trace) / d, 1e-6) };
}

/** Weights and biases from a solver of S'·w = μ, standardisation folded in. */
function assemble(
  means: Float64Array,
  counts: Float64Array,
  solve: (m: Float64Array) => Float64Array,
  s: Standardiser,
): HeadWeights {
  const d = s.mean.length;
  const classes = counts.length;
  const total = counts.reduce((a, b) => a + b, 0);
  const kernel = new Float32Array(d * classes);
  const bias = new Float32Array(classes);
  for (let k = 0; k < classes; k++) {
    if (counts[k] === 0) {
      bias[k] = -1e4;
      continue;
    }
    const mk = means.subarray(k * d, (k + 1) * d);
    const w = solve(mk);
    let b = Math.log(counts[k] / total);
    for (let j = 0; j < d; j++) {
      b -= 0.5 * mk[j] * w[j];
      // Fold (x − mean) / std: w·z = Σ (w/std)·x − Σ (w/std)·mean.
      const v = w[j] / s.std[j];
      kernel[j * classes + k] = v;
      b -= v * s.mean[j];
    }
    bias[k] = b;
  }
  return { inputSize: d, classes, kernel, bias };
}
