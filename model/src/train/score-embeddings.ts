// Scores a trained head + calibration on given embeddings (training's val/test metrics).
import { postprocess } from '../classifier-core';
import type { Calibration } from '../classifier-core';
import { headLogits } from './head';
import type { HeadWeights } from './head';
import { computeMetrics, toPrediction } from './metrics';
import type { Metrics } from './metrics';

export function scoreEmbeddings(
  head: HeadWeights,
  calibration: Calibration,
  /** `imagenetLogits`: the ImageNet check's output, needed when the calibration has that check. */
  rows: { label: number; embedding: Float32Array; imagenetLogits?: Float32Array }[],
): Metrics {
  const { labels } = calibration;
  return computeMetrics(
    rows.map((r) =>
      toPrediction(
        r.label,
        postprocess(
          headLogits(head, r.embedding),
          r.embedding,
          calibration,
          null,
          {},
          r.imagenetLogits,
        ),
        labels,
      ),
    ),
    labels,
  );
}
