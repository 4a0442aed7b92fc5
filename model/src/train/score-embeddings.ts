// Scores a trained head + calibration on given embeddings (used to measure the quantized backbone).
import { postprocess } from '../classifier-core';
import type { Calibration } from '../classifier-core';
import { headLogits } from './head';
import type { HeadWeights } from './head';
import { computeMetrics } from './metrics';
import type { Metrics } from './metrics';

export function scoreEmbeddings(
  head: HeadWeights,
  calibration: Calibration,
  rows: { label: number; embedding: Float32Array }[],
): Metrics {
  const { labels } = calibration;
  return computeMetrics(
    rows.map((r) => {
      const res = postprocess(headLogits(head, r.embedding), r.embedding, calibration);
      const probs = new Float64Array(labels.length);
      for (const { slug, p } of res.ranked) probs[labels.indexOf(slug)] = p;
      return { truth: r.label, probs, abstained: res.abstained };
    }),
    labels,
  );
}
