// The ImageNet check (see ImagenetCheck in classifier-core.ts): the backbone's own ImageNet
// classifier (`conv_preds`, 768 → 1000), fed from the embedding's GAP(conv_pw_13) block. Full size
// it would add 0.77 MB to a model held under 3 MB, so it ships as a rank-128 factorisation
// (0.23 MB in uint8); on the bank and the non-plant photos that kept the refusals of the full
// matrix within one photo (model/README.md). Like the backbone it depends only on the source
// weights: built once, deterministically, and cached.
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { cp, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { rngFrom } from '../train/random';
import { readAndDispose } from '../read-tensor';
import { featureExtractor, hashModelDir, poolBlock } from './backbone';
import { fileLoader, saveQuantized } from './model-files';
import { tf } from './tf-backend';

const CLASSIFIER_LAYER = 'conv_preds';
export const IMAGENET_RANK = 128;
/** Bump when the graph or its factorisation changes: part of the cache key. */
const IMAGENET_CHECK_VERSION = 'conv-preds-rank128-v1';
const POWER_ITERATIONS = 4;

/** Orthonormalises the columns of a rows×cols row-major matrix in place (Gram–Schmidt, twice). */
function orthonormalise(a: Float64Array, rows: number, cols: number): void {
  for (let pass = 0; pass < 2; pass++) {
    for (let j = 0; j < cols; j++) {
      for (let k = 0; k < j; k++) {
        let dot = 0;
        for (let i = 0; i < rows; i++) dot += a[i * cols + j] * a[i * cols + k];
        for (let i = 0; i < rows; i++) a[i * cols + j] -= dot * a[i * cols + k];
      }
      let norm = 0;
      for (let i = 0; i < rows; i++) norm += a[i * cols + j] ** 2;
      norm = Math.sqrt(norm) || 1;
      for (let i = 0; i < rows; i++) a[i * cols + j] /= norm;
    }
  }
}

/** C = op(A)·B for row-major matrices; A is n×m, `transposeA` multiplies by Aᵀ (m×n). */
function matmul(
  a: Float64Array,
  n: number,
  m: number,
  b: Float64Array,
  cols: number,
  transposeA = false,
): Float64Array {
  const [outRows, inner] = transposeA ? [m, n] : [n, m];
  const c = new Float64Array(outRows * cols);
  for (let i = 0; i < outRows; i++) {
    for (let k = 0; k < inner; k++) {
      const v = transposeA ? a[k * m + i] : a[i * m + k];
      if (v === 0) continue;
      const row = k * cols;
      const out = i * cols;
      for (let j = 0; j < cols; j++) c[out + j] += v * b[row + j];
    }
  }
  return c;
}

/**
 * Rank-`rank` factorisation W ≈ Q·B (Q: rows×rank with orthonormal columns spanning W's leading
 * left singular vectors, B = Qᵀ·W) by seeded subspace iteration: deterministic, no SVD needed.
 */
export function lowRank(
  w: Float64Array,
  rows: number,
  cols: number,
  rank: number,
): { q: Float64Array; b: Float64Array } {
  const rnd = rngFrom('imagenet-check');
  const omega = Float64Array.from({ length: cols * rank }, () => {
    // Box–Muller: a Gaussian start makes every direction reachable.
    const u = Math.max(rnd(), 1e-12);
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rnd());
  });
  let y = matmul(w, rows, cols, omega, rank);
  for (let it = 0; it < POWER_ITERATIONS; it++) {
    orthonormalise(y, rows, rank);
    const z = matmul(w, rows, cols, y, rank, true);
    y = matmul(w, rows, cols, z, rank);
  }
  orthonormalise(y, rows, rank);
  return { q: y, b: matmul(y, rows, rank, w, cols, true) };
}

/** Builds the check's layers model (embedding → 1000 ImageNet logits) from the full source model. */
export function imagenetModel(source: tf.LayersModel, rank = IMAGENET_RANK): tf.LayersModel {
  const layer = source.getLayer(CLASSIFIER_LAYER);
  const [kernel, bias] = layer.getWeights();
  const [, , inDim, classes] = kernel.shape as number[];
  const block = poolBlock(source);
  if (block.size !== inDim)
    throw new Error(`${CLASSIFIER_LAYER} reads ${inDim}, not ${block.size}`);
  const embeddingSize = featureExtractor(source).outputs[0].shape[1] as number;
  const [w] = readAndDispose(kernel.reshape([inDim, classes]));
  const { q, b } = lowRank(Float64Array.from(w), inDim, classes, rank);
  const input = tf.input({ shape: [embeddingSize], name: 'imagenet_embedding' });
  // Built-in layers only (a browser loads it with no custom code): keep the pool block.
  // (tfjs has no slice layer and no cropping1D: the vector becomes an E×1 one-channel image.)
  let x = tf.layers
    .reshape({ targetShape: [embeddingSize, 1, 1], name: 'imagenet_column' })
    .apply(input);
  x = tf.layers
    .cropping2D({
      cropping: [
        [block.offset, embeddingSize - block.offset - block.size],
        [0, 0],
      ],
      name: 'imagenet_pool_block',
    })
    .apply(x);
  x = tf.layers.flatten({ name: 'imagenet_pool' }).apply(x);
  x = tf.layers
    .dense({
      units: rank,
      useBias: false,
      name: 'imagenet_basis',
      weights: [tf.tensor2d(Float32Array.from(q), [inDim, rank])],
    })
    .apply(x);
  const logits = tf.layers
    .dense({
      units: classes,
      name: 'imagenet_logits',
      weights: [tf.tensor2d(Float32Array.from(b), [rank, classes]), bias.clone()],
    })
    .apply(x) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: logits, name: 'phytodiag_imagenet' });
}

/** The check's model folder for this source model (built and quantized on first use). */
export async function prepareImagenetCheck(sourceDir: string, cacheDir: string): Promise<string> {
  const sourceHash = await hashModelDir(sourceDir);
  const key = createHash('sha256')
    .update(`${sourceHash}:${IMAGENET_CHECK_VERSION}:mixed`)
    .digest('hex')
    .slice(0, 16);
  const dir = join(cacheDir, 'imagenet', key);
  if (existsSync(join(dir, 'model.json'))) return dir;
  const source = await tf.loadLayersModel(fileLoader(sourceDir));
  const model = imagenetModel(source);
  try {
    await saveQuantized(model, dir, 'mixed');
  } finally {
    model.dispose();
    source.dispose();
  }
  return dir;
}

export async function loadImagenetCheck(dir: string): Promise<tf.LayersModel> {
  return tf.loadLayersModel(fileLoader(dir));
}

/** ImageNet logits of each embedding (1000 values each), in batches. */
export function imagenetLogits(model: tf.LayersModel, embeddings: Float32Array[]): Float32Array[] {
  const out: Float32Array[] = [];
  const batch = 256;
  for (let start = 0; start < embeddings.length; start += batch) {
    const rows = embeddings.slice(start, start + batch);
    const d = rows[0].length;
    const flat = new Float32Array(rows.length * d);
    rows.forEach((e, i) => flat.set(e, i * d));
    const [y] = readAndDispose(
      tf.tidy(() => model.predict(tf.tensor2d(flat, [rows.length, d])) as tf.Tensor),
    );
    const width = y.length / rows.length;
    rows.forEach((_, i) => out.push(y.slice(i * width, (i + 1) * width)));
  }
  return out;
}

export async function copyImagenetCheck(dir: string, outDir: string): Promise<void> {
  await mkdir(outDir, { recursive: true });
  await cp(dir, outDir, { recursive: true });
}
