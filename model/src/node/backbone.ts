// The MobileNet v1 feature extractor every class decision is built on, plus the plain 768-d pool
// extractor the kNN baseline uses. One forward pass yields one concatenated vector (2496-d):
//   GAP(conv_pw_11_relu, 14×14×384) ‖ GAP(conv_pw_13_relu, 7×7×768) ‖ GMP(conv_pw_13_relu)
//   ‖ GAP(conv_pw_5_relu, 28×28×192) ‖ GAP(conv_pw_7_relu, 14×14×384)
// The mid-level pool keeps texture/lesion detail the last block has abstracted away; the max pool
// keeps small, strong local responses (a lesion, an insect) that averaging over 7×7 dilutes; the
// early pools (pw5, pw7) carry colour and fine texture: +1.1 points of 5-fold top-1 over the whole
// bank (model/README.md). They come LAST so the distance test's leading features stay the same.
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { tf } from './tf-backend';
import { fileLoader } from './model-files';
import { readAndDispose } from '../read-tensor';

/** The original backbone's pooled output (Teachable-Machine features, kNN baseline). */
export const POOL_LAYER = 'global_average_pooling2d_1';
const MID_LAYER = 'conv_pw_11_relu';
const LAST_LAYER = 'conv_pw_13_relu';
const EARLY = ['conv_pw_5_relu', 'conv_pw_7_relu'] as const;
/** Bump when the extractor graph changes: part of the prepared-backbone cache key. */
export const FEATURES_VERSION = 'gap11-gap13-gmp13-gap5-gap7-v2';

export type ExtractorKind = 'features' | 'pool';

function output(model: tf.LayersModel, name: string): tf.SymbolicTensor {
  return model.getLayer(name).output as tf.SymbolicTensor;
}

/** The multi-scale feature extractor built on the full ImageNet model. */
export function featureExtractor(model: tf.LayersModel): tf.LayersModel {
  const mid = output(model, MID_LAYER);
  const last = output(model, LAST_LAYER);
  const parts = [
    tf.layers.globalAveragePooling2d({ name: 'feat_gap_pw11' }).apply(mid),
    tf.layers.globalAveragePooling2d({ name: 'feat_gap_pw13' }).apply(last),
    tf.layers.globalMaxPooling2d({ name: 'feat_gmp_pw13' }).apply(last),
    tf.layers.globalAveragePooling2d({ name: 'feat_gap_pw5' }).apply(output(model, EARLY[0])),
    tf.layers.globalAveragePooling2d({ name: 'feat_gap_pw7' }).apply(output(model, EARLY[1])),
  ] as tf.SymbolicTensor[];
  const features = tf.layers.concatenate({ name: 'features' }).apply(parts) as tf.SymbolicTensor;
  // A fixed name: the default one counts models per process, which would change the hash.
  return tf.model({ inputs: model.inputs, outputs: features, name: 'phytodiag_features' });
}

/**
 * Where GAP(conv_pw_13_relu) — the original model's pooled output, what its ImageNet classifier
 * reads — sits in featureExtractor's vector: right after GAP(conv_pw_11_relu).
 */
export function poolBlock(model: tf.LayersModel): { offset: number; size: number } {
  const channels = (name: string): number => output(model, name).shape[3] as number;
  return { offset: channels(MID_LAYER), size: channels(LAST_LAYER) };
}

/**
 * Loads a layers model dir as an extractor. A dir whose model already outputs a vector (an
 * exported/prepared extractor) is used as is; the full ImageNet model is cut to the requested kind.
 */
export async function loadBackbone(
  dir: string,
  kind: ExtractorKind = 'features',
): Promise<tf.LayersModel> {
  const model = await tf.loadLayersModel(fileLoader(dir));
  const names = new Set(model.layers.map((l) => l.name));
  const last = model.outputs[0];
  const isVector = last.shape.length === 2 && model.outputs.length === 1;
  if (kind === 'pool') {
    if (!names.has(POOL_LAYER)) throw new Error(`backbone in ${dir} has no ${POOL_LAYER}`);
    if (isVector && last.shape[1] === 768 && model.outputLayers[0].name === POOL_LAYER)
      return model;
    return tf.model({ inputs: model.inputs, outputs: output(model, POOL_LAYER) });
  }
  if (names.has('features') && isVector) return model;
  if (!names.has(LAST_LAYER)) throw new Error(`backbone in ${dir} has no ${LAST_LAYER}`);
  return featureExtractor(model);
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
  const y = tf.tidy(
    () => model.predict(tf.tensor4d(flat, [inputs.length, 224, 224, 3])) as tf.Tensor,
  );
  const size = y.shape[1] as number;
  if (y.shape.length !== 2) {
    y.dispose();
    throw new Error(`backbone output shape ${JSON.stringify(y.shape)}, expected [n, d]`);
  }
  const [data] = readAndDispose(y);
  return inputs.map((_, i) => data.slice(i * size, (i + 1) * size));
}
