// Evaluation metrics shared by training (metrics.json) and the eval CLI.
import type { ClassifierResult } from '../classifier-core';

export interface Prediction {
  /** True label index, or -1 for an image that should be refused ("unknown"). */
  truth: number;
  /** Probabilities in label order. */
  probs: ArrayLike<number>;
  abstained: boolean;
}

export interface Metrics {
  n: number;
  top1: number;
  top3: number;
  ece: number;
  abstain_rate_known: number;
  selective_accuracy: number | null;
  refusal_rate_unknown: number | null;
  n_unknown: number;
  per_class: Record<string, { n: number; top1: number }>;
  confusion: { true: string; predicted: string; count: number }[];
}

/** A post-processed result as a Prediction (probabilities back in label order). */
export function toPrediction(
  truth: number,
  result: ClassifierResult,
  labels: string[],
): Prediction {
  const probs = new Float64Array(labels.length);
  for (const { slug, p } of result.ranked) probs[labels.indexOf(slug)] = p;
  return { truth, probs, abstained: result.abstained };
}

function order(p: ArrayLike<number>): number[] {
  return Array.from({ length: p.length }, (_, i) => i).sort((a, b) => p[b] - p[a]);
}

/** Expected calibration error with equal-width confidence bins on the top-1 probability. */
export function expectedCalibrationError(conf: number[], correct: boolean[], bins = 15): number {
  const count = new Array<number>(bins).fill(0);
  const confSum = new Array<number>(bins).fill(0);
  const accSum = new Array<number>(bins).fill(0);
  conf.forEach((c, i) => {
    const b = Math.min(bins - 1, Math.floor(c * bins));
    count[b]++;
    confSum[b] += c;
    accSum[b] += correct[i] ? 1 : 0;
  });
  let ece = 0;
  for (let b = 0; b < bins; b++) {
    if (count[b] > 0)
      ece += (count[b] / conf.length) * Math.abs(accSum[b] / count[b] - confSum[b] / count[b]);
  }
  return ece;
}

const round = (x: number): number => Math.round(x * 1e4) / 1e4;

export function computeMetrics(preds: Prediction[], labels: string[]): Metrics {
  const known = preds.filter((p) => p.truth >= 0);
  const unknown = preds.filter((p) => p.truth < 0);
  let top1 = 0;
  let top3 = 0;
  let abstained = 0;
  let answeredCorrect = 0;
  const conf: number[] = [];
  const correct: boolean[] = [];
  const perClass: Record<string, { n: number; top1: number }> = {};
  const confusion = new Map<string, number>();
  for (const p of known) {
    const ranks = order(p.probs);
    const hit = ranks[0] === p.truth;
    conf.push(p.probs[ranks[0]]);
    correct.push(hit);
    const slug = labels[p.truth];
    perClass[slug] ??= { n: 0, top1: 0 };
    perClass[slug].n++;
    if (p.abstained) abstained++;
    else {
      if (hit) answeredCorrect++;
      if (hit) {
        top1++;
        perClass[slug].top1++;
      }
      if (ranks.slice(0, 3).includes(p.truth)) top3++;
    }
    if (!hit) {
      const key = `${slug}\u0000${labels[ranks[0]]}`;
      confusion.set(key, (confusion.get(key) ?? 0) + 1);
    }
  }
  for (const s of Object.keys(perClass)) perClass[s].top1 = round(perClass[s].top1 / perClass[s].n);
  const n = known.length;
  return {
    n,
    top1: n ? round(top1 / n) : 0,
    top3: n ? round(top3 / n) : 0,
    ece: n ? round(expectedCalibrationError(conf, correct)) : 0,
    abstain_rate_known: n ? round(abstained / n) : 0,
    selective_accuracy: n - abstained > 0 ? round(answeredCorrect / (n - abstained)) : null,
    refusal_rate_unknown: unknown.length
      ? round(unknown.filter((u) => u.abstained).length / unknown.length)
      : null,
    n_unknown: unknown.length,
    per_class: perClass,
    confusion: [...confusion.entries()]
      .map(([k, count]) => {
        const [t, p] = k.split('\u0000');
        return { true: t, predicted: p, count };
      })
      .sort((a, b) => b.count - a.count || a.true.localeCompare(b.true))
      .slice(0, 15),
  };
}
