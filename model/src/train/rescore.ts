// The gate compares the candidate with the served version on the SAME photos: the served
// version's exported head + calibration are applied to the candidate's test-split embeddings.
// Embeddings are only comparable when both versions ship the same backbone (same bytes = same
// features), which is the usual case: only the head is retrained. Otherwise the caller falls back
// to the served version's recorded metrics and says so.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Calibration } from '../classifier-core';
import { postprocess } from '../classifier-core';
import { hashModelDir } from '../node/backbone';
import { imagenetLogits, loadImagenetCheck } from '../node/imagenet-check';
import { fileLoader } from '../node/model-files';
import { initTf, tf } from '../node/tf-backend';
import { readAndDispose } from '../read-tensor';
import type { GateMetrics } from './gate';
import { computeMetrics } from './metrics';
import type { Metrics, Prediction } from './metrics';

export interface RescoreRow {
  slug: string;
  embedding: Float32Array;
}

export type RescoreResult =
  | { metrics: Metrics; reason: null }
  /** Why the served version could not be re-scored (its recorded metrics are used instead). */
  | { metrics: null; reason: string };

/** Rows per head.predict call: bounds memory on a large test split. */
const BATCH = 256;

async function readJson<T>(path: string): Promise<T> {
  return JSON.parse(await readFile(path, 'utf8')) as T;
}

/**
 * Scores the exported version in `versionDir` on `rows` (embeddings from the backbone whose
 * hashModelDir is `backboneHash`). Labels are the union of the rows' classes and the version's:
 * a photo of a class the served version does not know counts as its error, and a prediction of a
 * class the candidate dropped is a wrong answer, not a missing one.
 */
export async function rescoreVersion(
  versionDir: string,
  backboneHash: string,
  rows: RescoreRow[],
): Promise<RescoreResult> {
  let servedHash: string;
  try {
    servedHash = await hashModelDir(join(versionDir, 'backbone'));
  } catch {
    return { metrics: null, reason: 'the served version has no readable backbone' };
  }
  if (servedHash !== backboneHash) {
    return { metrics: null, reason: 'the served version ships another backbone' };
  }
  if (rows.length === 0) return { metrics: null, reason: 'the candidate has no test photos' };
  const calibration = await readJson<Calibration>(join(versionDir, 'calibration.json'));
  await initTf();
  const head = await tf.loadLayersModel(fileLoader(join(versionDir, 'head')));
  const imagenet = calibration.abstention.imagenet
    ? await loadImagenetCheck(join(versionDir, 'imagenet'))
    : null;
  try {
    const dims = rows[0].embedding.length;
    const inputShape = head.inputs[0].shape;
    if (inputShape[1] !== dims) {
      return {
        metrics: null,
        reason: `the served head takes ${inputShape[1]} features, not ${dims}`,
      };
    }
    const labels = [...new Set([...rows.map((r) => r.slug), ...calibration.labels])];
    const index = new Map(labels.map((s, i) => [s, i]));
    const preds: Prediction[] = [];
    for (let start = 0; start < rows.length; start += BATCH) {
      const batch = rows.slice(start, start + BATCH);
      const flat = new Float32Array(batch.length * dims);
      batch.forEach((r, i) => flat.set(r.embedding, i * dims));
      const [logits] = readAndDispose(
        tf.tidy(() => head.predict(tf.tensor2d(flat, [batch.length, dims])) as tf.Tensor),
      );
      const width = calibration.labels.length;
      const checked = imagenet
        ? imagenetLogits(
            imagenet,
            batch.map((r) => r.embedding),
          )
        : null;
      batch.forEach((r, i) => {
        const result = postprocess(
          logits.subarray(i * width, (i + 1) * width),
          r.embedding,
          calibration,
          null,
          {},
          checked?.[i],
        );
        const probs = new Float64Array(labels.length);
        for (const { slug, p } of result.ranked) probs[index.get(slug) as number] = p;
        preds.push({ truth: index.get(r.slug) as number, probs, abstained: result.abstained });
      });
    }
    return { metrics: computeMetrics(preds, labels), reason: null };
  } finally {
    head.dispose();
    imagenet?.dispose();
  }
}

/**
 * The re-scored baseline only holds the classes the candidate has test photos of. A class the
 * served version knew but the candidate lost keeps its recorded score, so the gate still fails it
 * (gate.ts: a class that vanished from the test split is a failure).
 */
export function withVanishedClasses(
  rescored: GateMetrics,
  recorded: GateMetrics | null,
): GateMetrics {
  if (!recorded) return rescored;
  const per_class = { ...rescored.per_class };
  for (const [slug, m] of Object.entries(recorded.per_class)) per_class[slug] ??= m;
  return { ...rescored, per_class };
}
