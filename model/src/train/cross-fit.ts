// K-fold cross-fitting on every non-test image. The shipped head is fitted on all of them (train
// + val: ~35 % more photos per class than train alone), while the temperature, the distance radii
// and the confidence threshold are calibrated on OUT-OF-FOLD predictions: each photo is scored by
// a head and class centroids that never saw it (nor its augmentations). The test split is never
// touched here. Folds are a pure function of each image's sha256, like the split.
import { l2normalise } from './calibrate';
import { headLogits, trainHead } from './head';
import type { HeadOptions, HeadWeights } from './head';
import { addStats, fitLda, fitLdaRows, ldaStats, standardiser } from './lda';
import type { LdaStats } from './lda';
import { unitHash } from './random';

export const CV_FOLDS = 5;
const CV_SEED = 'phytodiag-cv-v1';

export function cvFoldOf(sha: string): number {
  return Math.min(CV_FOLDS - 1, Math.floor(unitHash(`${CV_SEED}:${sha}`) * CV_FOLDS));
}

/** One fitting row: an original or augmented embedding of a non-test image. */
export interface FitRow {
  x: Float32Array;
  label: number;
  fold: number;
}

export interface CrossFitResult {
  /** Fitted on every row. */
  head: HeadWeights;
  /** Per item (same order as `items`): logits of the head fitted without the item's fold. */
  oofLogits: Float64Array[];
  /** Per item, per class: cosine distance to the class centroid built without the item's fold. */
  oofDistances: number[][];
  /** Unit class centroids of the leading `dims` features, from every row. */
  centroids: number[][];
}

function normalised(sum: Float64Array): Float64Array {
  return l2normalise(sum);
}

export function crossFit(
  rows: FitRow[],
  items: { sha: string; label: number; embedding: Float32Array }[],
  classes: number,
  opts: HeadOptions,
  dims: number,
): CrossFitResult {
  const folds = Array.from({ length: CV_FOLDS }, (_, f) => f);
  const inFold = (f: number): FitRow[] => rows.filter((r) => r.fold === f);
  const outOfFold = (f: number): FitRow[] => rows.filter((r) => r.fold !== f);

  // Heads: LDA from per-fold statistics (one pass over the data), softmax by K+1 trainings.
  let headWithout: (fold: number | null) => HeadWeights;
  if (opts.kind === 'lda') {
    // Standardisation is label-free, so it is shared by the fold models and the final one.
    const s = standardiser(rows.map((r) => r.x));
    if (rows.length < s.mean.length) {
      // Fewer rows than features: the n×n (Woodbury) form is far cheaper than d×d solves.
      headWithout = (fold) => {
        const part = fold === null ? rows : outOfFold(fold);
        return fitLdaRows(
          part.map((r) => r.x),
          part.map((r) => r.label),
          classes,
          opts.shrinkage,
          s,
        );
      };
    } else {
      const stats: LdaStats[] = folds.map((f) => {
        const part = inFold(f);
        return ldaStats(
          part.map((r) => r.x),
          part.map((r) => r.label),
          classes,
          s,
        );
      });
      headWithout = (fold) =>
        fitLda(addStats(stats.filter((_, f) => f !== fold)), opts.shrinkage, s);
    }
  } else {
    headWithout = (fold) => {
      const part = fold === null ? rows : outOfFold(fold);
      return trainHead(
        part.map((r) => r.x),
        part.map((r) => r.label),
        classes,
        opts,
      );
    };
  }

  // Centroid sums per fold and class over L2-normalised leading features.
  const sums = folds.map(() => Array.from({ length: classes }, () => new Float64Array(dims)));
  for (const r of rows) {
    const u = l2normalise(r.x.subarray(0, dims));
    const acc = sums[r.fold][r.label];
    for (let j = 0; j < dims; j++) acc[j] += u[j];
  }
  const centroidsWithout = (fold: number | null): Float64Array[] =>
    Array.from({ length: classes }, (_, k) => {
      const acc = new Float64Array(dims);
      folds.forEach((f) => {
        if (f === fold) return;
        for (let j = 0; j < dims; j++) acc[j] += sums[f][k][j];
      });
      return normalised(acc);
    });

  const oofLogits: Float64Array[] = new Array<Float64Array>(items.length);
  const oofDistances: number[][] = new Array<number[]>(items.length);
  const itemFold = items.map((i) => cvFoldOf(i.sha));
  for (const f of folds) {
    const members = items.map((_, i) => i).filter((i) => itemFold[i] === f);
    if (members.length === 0) continue;
    const head = headWithout(f);
    const centroids = centroidsWithout(f);
    for (const i of members) {
      const e = items[i].embedding;
      oofLogits[i] = headLogits(head, e);
      const u = l2normalise(e.subarray(0, dims));
      oofDistances[i] = centroids.map((c) => {
        let dot = 0;
        for (let j = 0; j < dims; j++) dot += c[j] * u[j];
        return 1 - dot;
      });
    }
  }
  return {
    head: headWithout(null),
    oofLogits,
    oofDistances,
    centroids: centroidsWithout(null).map((c) => Array.from(c)),
  };
}
