// The dense head. Default: shrinkage LDA (lda.ts, closed form). Alternative kept for comparison:
// softmax regression on standardised backbone embeddings, trained with TF.js (Adam, L2, input
// dropout) in a hand-written loop so every random draw (init, shuffling, dropout masks) comes from
// one seeded generator: the same seed gives the same weights, bit for bit.
import { tf } from '../node/tf-backend';
import { mulberry32, shuffleInPlace } from './random';

export interface HeadOptions {
  /** 'lda' (default) or the trained 'softmax' regression; the options below say which they feed. */
  kind: 'lda' | 'softmax';
  /** LDA: covariance shrinkage toward a scaled identity, in [0, 1]. */
  shrinkage: number;
  /** Softmax only, from here on. */
  seed: number;
  epochs: number;
  batchSize: number;
  learningRate: number;
  l2: number;
  dropout: number;
}

export const DEFAULT_HEAD_OPTIONS: HeadOptions = {
  // Chosen on the validation split and by cross-validation on train+val (see model/README.md).
  kind: 'lda',
  shrinkage: 0.2,
  seed: 42,
  epochs: 80,
  batchSize: 64,
  learningRate: 0.002,
  l2: 0.01,
  dropout: 0.5,
};

/** Final dense layer with the standardisation folded in: logits = x·kernel + bias on raw x. */
export interface HeadWeights {
  inputSize: number;
  classes: number;
  kernel: Float32Array; // [inputSize, classes] row-major
  bias: Float32Array;
}

/** Trains the softmax head (the LDA head is fitted from statistics, see lda.ts). */
export function trainHead(
  x: Float32Array[],
  y: number[],
  classes: number,
  opts: HeadOptions = DEFAULT_HEAD_OPTIONS,
): HeadWeights {
  const n = x.length;
  const d = x[0].length;
  // Standardisation statistics from the training rows only.
  const mean = new Float32Array(d);
  const std = new Float32Array(d);
  for (const row of x) for (let j = 0; j < d; j++) mean[j] += row[j] / n;
  for (const row of x) for (let j = 0; j < d; j++) std[j] += (row[j] - mean[j]) ** 2 / n;
  for (let j = 0; j < d; j++) std[j] = Math.sqrt(std[j]) + 1e-3;
  const z = new Float32Array(n * d);
  x.forEach((row, i) => {
    for (let j = 0; j < d; j++) z[i * d + j] = (row[j] - mean[j]) / std[j];
  });

  const rnd = mulberry32(opts.seed);
  const limit = Math.sqrt(6 / (d + classes));
  const init = Float32Array.from({ length: d * classes }, () => (rnd() * 2 - 1) * limit);
  const w = tf.variable(tf.tensor2d(init, [d, classes]));
  const b = tf.variable(tf.zeros([classes]));
  const optimizer = tf.train.adam(opts.learningRate);
  const order = Array.from({ length: n }, (_, i) => i);
  const keep = 1 - opts.dropout;

  for (let epoch = 0; epoch < opts.epochs; epoch++) {
    shuffleInPlace(order, rnd);
    for (let start = 0; start < n; start += opts.batchSize) {
      const idx = order.slice(start, start + opts.batchSize);
      const m = idx.length;
      const xb = new Float32Array(m * d);
      const yb = new Float32Array(m * classes);
      idx.forEach((r, i) => {
        for (let j = 0; j < d; j++) {
          // Inverted dropout on the inputs, mask drawn from the seeded generator.
          xb[i * d + j] = rnd() < keep ? z[r * d + j] / keep : 0;
        }
        yb[i * classes + y[r]] = 1;
      });
      tf.tidy(() => {
        const xt = tf.tensor2d(xb, [m, d]);
        const yt = tf.tensor2d(yb, [m, classes]);
        optimizer.minimize(() => {
          const logits = tf.add(tf.matMul(xt, w), b);
          const ce = tf.losses.softmaxCrossEntropy(yt, logits);
          return tf.add(ce, tf.mul(opts.l2, tf.sum(tf.square(w)))) as tf.Scalar;
        });
      });
    }
  }
  const wv = w.dataSync() as Float32Array;
  const bv = b.dataSync() as Float32Array;
  // Fold (x - mean) / std into the layer so the exported head takes raw embeddings.
  const kernel = new Float32Array(d * classes);
  const bias = Float32Array.from(bv);
  for (let j = 0; j < d; j++) {
    for (let k = 0; k < classes; k++) {
      const v = wv[j * classes + k] / std[j];
      kernel[j * classes + k] = v;
      bias[k] -= v * mean[j];
    }
  }
  w.dispose();
  b.dispose();
  optimizer.dispose();
  return { inputSize: d, classes, kernel, bias };
}

/** Logits in plain JS (float64 accumulation) — used for calibration and metrics. */
export function headLogits(head: HeadWeights, x: ArrayLike<number>): Float64Array {
  const out = Float64Array.from(head.bias);
  for (let j = 0; j < head.inputSize; j++) {
    const v = x[j];
    if (v === 0) continue;
    const row = j * head.classes;
    for (let k = 0; k < head.classes; k++) out[k] += v * head.kernel[row + k];
  }
  return out;
}

/** The head as a TF.js layers model (one dense layer, linear output = logits). */
export function headModel(head: HeadWeights): tf.Sequential {
  const model = tf.sequential();
  model.add(tf.layers.dense({ inputShape: [head.inputSize], units: head.classes, name: 'logits' }));
  model.layers[0].setWeights([
    tf.tensor2d(head.kernel, [head.inputSize, head.classes]),
    tf.tensor1d(head.bias),
  ]);
  return model;
}
