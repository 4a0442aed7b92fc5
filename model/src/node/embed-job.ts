// One unit of embedding work: decode an image once, build each requested augmentation, run the
// backbone on them as one batch. Runs in worker threads or in-process (same code).
import type { tf } from './tf-backend';
import { embedBatch } from './backbone';
import { decodeImage } from './decode';
import { augmentedInput } from '../train/augment';
import type { AugmentationId } from '../train/augment';

export interface EmbedJob {
  sha: string;
  path: string;
  augs: AugmentationId[];
}

export type EmbedOutcome = { ok: true; embeddings: Float32Array[] } | { ok: false; error: string };

export async function runEmbedJob(model: tf.LayersModel, job: EmbedJob): Promise<EmbedOutcome> {
  let inputs: Float32Array[];
  try {
    const img = await decodeImage(job.path);
    inputs = job.augs.map((a) => augmentedInput(img, a, job.sha));
  } catch (err) {
    return { ok: false, error: err instanceof Error ? err.message : String(err) };
  }
  return { ok: true, embeddings: embedBatch(model, inputs) };
}
