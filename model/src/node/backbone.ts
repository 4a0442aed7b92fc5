// The MobileNet v1 backbone truncated at its 768-d global average pool: the embedding every class
// decision is built on. Also exposes the ImageNet classifier weights (conv_preds) for diagnostics.
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { tf } from './tf-backend';
import { fileLoader } from './model-files';

export const EMBEDDING_LAYER = 'global_average_pooling2d_1';
export const EMBEDDING_SIZE = 768;

/** Loads a layers model dir; if it is the full ImageNet model, truncates it at the pool layer. */
export async function loadBackbone(dir: string): Promise<tf.LayersModel> {
  const model = await tf.loadLayersModel(fileLoader(dir));
  const names = new Set(model.layers.map((l) => l.name));
  if (!names.has(EMBEDDING_LAYER)) throw new Error(`backbone in ${dir} has no ${EMBEDDING_LAYER}`);
  const last = model.outputs[0];
  if (last.shape[last.shape.length - 1] === EMBEDDING_SIZE && last.shape.length === 2) return model;
  const extractor = tf.model({
    inputs: model.inputs,
    outputs: model.getLayer(EMBEDDING_LAYER).output as tf.SymbolicTensor,
  });
  return extractor;
}

/** sha256 of model.json + shards: part of every embedding cache key. */
export async function hashModelDir(dir: string): Promise<string> {
  const json = await readFile(join(dir, 'model.json'));
  const h = createHash('sha256').update(json);
  const parsed = JSON.parse(json.toString('utf8')) as { weightsManifest: { paths: string[] }[] };
  for (const g of parsed.weightsManifest)
    for (const p of g.paths) h.update(await readFile(join(dir, p)));
  return h.digest('hex');
}

/** Embeds a batch of preprocessed images (each 224·224·3 floats) → one Float32Array each. */
export function embedBatch(model: tf.LayersModel, inputs: Float32Array[]): Float32Array[] {
  if (inputs.length === 0) return [];
  const flat = new Float32Array(inputs.length * inputs[0].length);
  inputs.forEach((x, i) => flat.set(x, i * x.length));
  const out = tf.tidy(() => {
    const y = model.predict(tf.tensor4d(flat, [inputs.length, 224, 224, 3])) as tf.Tensor;
    if (y.shape.length !== 2 || y.shape[1] !== EMBEDDING_SIZE) {
      throw new Error(
        `backbone output shape ${JSON.stringify(y.shape)}, expected [n, ${EMBEDDING_SIZE}]`,
      );
    }
    return y.dataSync() as Float32Array;
  });
  return inputs.map((_, i) => out.slice(i * EMBEDDING_SIZE, (i + 1) * EMBEDDING_SIZE));
}
