// The Teachable-Machine-style baseline: same backbone embeddings, k nearest training embeddings by
// cosine similarity, probability = vote share; no calibration, no abstention.
import { l2normalise } from './calibrate';

export const KNN_K = 5;

export interface KnnIndex {
  rows: Float64Array[];
  labels: number[];
  classes: number;
}

export function buildKnn(x: ArrayLike<number>[], y: number[], classes: number): KnnIndex {
  return { rows: x.map((r) => l2normalise(r)), labels: y, classes };
}

/** Vote shares; classes without votes keep a tiny score ordered by best similarity (for top-3). */
export function knnProbs(index: KnnIndex, query: ArrayLike<number>, k = KNN_K): Float64Array {
  const q = l2normalise(query);
  const sims = index.rows.map((r) => {
    let dot = 0;
    for (let j = 0; j < r.length; j++) dot += r[j] * q[j];
    return dot;
  });
  const best = new Float64Array(index.classes).fill(-1);
  sims.forEach((s, i) => {
    if (s > best[index.labels[i]]) best[index.labels[i]] = s;
  });
  const top = sims
    .map((s, i) => [s, i] as const)
    .sort((a, b) => b[0] - a[0])
    .slice(0, k);
  const probs = new Float64Array(index.classes);
  for (const [, i] of top) probs[index.labels[i]] += 1 / k;
  // Tie-break / rank non-voted classes without changing the reported vote share materially.
  for (let c = 0; c < index.classes; c++) probs[c] += 1e-6 * (best[c] + 1);
  return probs;
}
