// The training library: explicit samples + class metadata in, a trained and calibrated model out.
// The CLI feeds it the image bank; the API will feed it the validated bank images from its DB.
import { availableParallelism } from 'node:os';
import type { Calibration, ClassInfo } from '../classifier-core';
import { cropIdOf, postprocess } from '../classifier-core';
import { prepareBackbone } from '../node/prepared-backbone';
import type { PreparedBackbone } from '../node/prepared-backbone';
import type { QuantizationDtype } from '../node/quantize';
import { AUGMENTATIONS } from './augment';
import type { AugmentationId } from './augment';
import { centroid, cosineDistance, fitTemperature, quantile } from './calibrate';
import type { Sample } from './dataset';
import { embedSamples, hashSamples } from './embed-samples';
import type { EmbedStats, HashedSample } from './embed-samples';
import { DEFAULT_HEAD_OPTIONS, headLogits, trainHead } from './head';
import type { HeadOptions, HeadWeights } from './head';
import { buildKnn, knnProbs } from './knn';
import { computeMetrics } from './metrics';
import type { Metrics } from './metrics';
import { scoreEmbeddings } from './score-embeddings';
import { assignSplits } from './split';
import type { Split } from './split';

export interface TrainInput {
  samples: Sample[];
  classes: ClassInfo[];
  backboneDir: string;
  cacheDir: string;
  /** Worker threads for embedding; default: one per core (0 = in-process). */
  workers?: number;
  /** Extra augmented embeddings of training images (default true). */
  augment?: boolean;
  head?: Partial<HeadOptions>;
  /** Weight quantization of the shipped backbone, applied BEFORE embedding (default 'mixed'). */
  quantization?: QuantizationDtype;
  /** Leading embedding features used by the distance test (default DISTANCE_DIMS). */
  distanceDims?: number;
  /** Fraction of known validation photos the distance test may refuse (per-class quantile). */
  distanceQuantile?: number;
  log?: (msg: string) => void;
  warn?: (msg: string) => void;
}

export interface LabelledEmbedding {
  sha: string;
  path: string;
  label: number;
  split: Split;
  embedding: Float32Array;
}

export interface TrainResult {
  classes: ClassInfo[];
  labels: string[];
  head: HeadWeights;
  /** calibration.json without the model version (set at export). */
  calibration: Omit<Calibration, 'modelVersion'>;
  /** The quantized feature extractor the embeddings came from (exported as is). */
  backbone: PreparedBackbone;
  /** Float 768-d pool embeddings of the training split, for the kNN baseline. */
  knnTrain: { x: Float32Array[]; y: number[] };
  /** Original (non-augmented) embeddings of every usable sample, with split. */
  items: LabelledEmbedding[];
  metrics: { test: Metrics; val: Metrics; knnTest: Metrics };
  splitCounts: Record<Split, number>;
  embedStats: EmbedStats;
  seconds: { embed: number; head: number; total: number };
  options: HeadOptions & { augment: boolean; augmentations: string[]; distanceQuantile: number };
}

/**
 * The distance test uses the two average pools (GAP pw11 ‖ GAP pw13 = the first 1152 features),
 * not the max pool: max-pooled activations of a non-plant photo land as close to plant centroids
 * as real leaves do (measured: with them, non-plant refusal fell from 8/9 to 4/9).
 */
export const DISTANCE_DIMS = 1152;

/** Where the crop-prior factor comes from; written next to it in calibration.json. */
export const OTHER_CROP_FACTOR = 0.1;
const PRIOR_SOURCE =
  'Design choice, not estimated from data: the bank has no field frequencies per crop, region or ' +
  'month. A declared crop multiplies classes of other crops by 0.1 (allowing ~10 % wrong or mixed ' +
  'crop declarations) and leaves crop-agnostic classes (insects, weeds) unchanged; region and ' +
  'month carry no rule until RAP/IRIIQ observation data is integrated.';

export async function trainModel(input: TrainInput): Promise<TrainResult> {
  const t0 = Date.now();
  const log = input.log ?? ((m: string) => console.error(m));
  const warn = input.warn ?? ((m: string) => console.error(`warning: ${m}`));
  const augment = input.augment ?? true;
  const headOpts: HeadOptions = { ...DEFAULT_HEAD_OPTIONS, ...input.head };
  const distanceQuantile = input.distanceQuantile ?? 0.95;
  const labels = input.classes.map((c) => c.slug);
  const labelIndex = new Map(labels.map((s, i) => [s, i]));
  for (const s of input.samples) {
    if (!labelIndex.has(s.slug))
      throw new Error(`sample ${s.path} has class ${s.slug} missing from the class list`);
  }

  const hashed = await hashSamples(input.samples, warn);
  const splits = assignSplits(hashed);
  const backbone = await prepareBackbone(
    input.backboneDir,
    input.cacheDir,
    input.quantization ?? 'mixed',
  );
  const workers = input.workers ?? Math.min(2, availableParallelism());
  const augs: AugmentationId[] = augment ? [...AUGMENTATIONS] : [];
  const requests = hashed.map((sample) => ({
    sample,
    augs: (splits.get(sample.sha) === 'train' ? ['orig', ...augs] : ['orig']) as AugmentationId[],
  }));
  const tEmbed = Date.now();
  const { embeddings, stats } = await embedSamples(
    requests,
    { backboneDir: backbone.dir, backboneHash: backbone.hash, cacheDir: input.cacheDir, workers },
    warn,
    log,
  );
  const embedSeconds = (Date.now() - tEmbed) / 1000;

  const usable: HashedSample[] = hashed.filter((s) => embeddings.has(s.sha));
  const items: LabelledEmbedding[] = usable.map((s) => ({
    sha: s.sha,
    path: s.path,
    label: labelIndex.get(s.slug) as number,
    split: splits.get(s.sha) as Split,
    embedding: embeddings.get(s.sha)?.get('orig') as Float32Array,
  }));
  const of = (split: Split): LabelledEmbedding[] => items.filter((i) => i.split === split);
  const train = of('train');
  const val = of('val');
  const test = of('test');
  for (let k = 0; k < labels.length; k++) {
    if (!train.some((t) => t.label === k))
      throw new Error(`class ${labels[k]} has no usable training image`);
  }

  // Training rows: originals + augmentations of training images.
  const trainX: Float32Array[] = [];
  const trainY: number[] = [];
  for (const t of train) {
    for (const e of embeddings.get(t.sha)?.values() ?? []) {
      trainX.push(e);
      trainY.push(t.label);
    }
  }
  const tHead = Date.now();
  const head = trainHead(trainX, trainY, labels.length, headOpts);
  const headSeconds = (Date.now() - tHead) / 1000;

  // Temperature on validation logits.
  const valLogits = val.map((v) => headLogits(head, v.embedding));
  const temperature =
    val.length >= labels.length
      ? fitTemperature(
          valLogits,
          val.map((v) => v.label),
        )
      : 1;

  // Class centroids from all training rows; radius = high quantile of validation distances of the
  // class's own photos (falls back to the pooled quantile when a class has < 5 validation photos).
  const dims = Math.min(input.distanceDims ?? DISTANCE_DIMS, trainX[0].length);
  const z = (e: Float32Array): Float32Array => e.subarray(0, dims);
  const trainZ = trainX.map(z);
  const centroids = labels.map((_, k) => centroid(trainZ.filter((_, i) => trainY[i] === k)));
  const ownDistances = labels.map((_, k) =>
    val.filter((v) => v.label === k).map((v) => cosineDistance(centroids[k], z(v.embedding))),
  );
  const pooled = quantile(ownDistances.flat(), distanceQuantile);
  const maxDistance = ownDistances.map((d) =>
    d.length >= 5 ? Math.max(quantile(d, distanceQuantile), pooled * 0.75) : pooled,
  );

  const calibrationNoConf: Omit<Calibration, 'modelVersion'> = {
    schema: 1,
    labels,
    temperature,
    abstention: { minConfidence: 0, distanceMetric: 'cosine-to-centroid', maxDistance },
    centroids,
    priors: {
      classCrop: input.classes.map(cropIdOf),
      otherCropFactor: OTHER_CROP_FACTOR,
      source: PRIOR_SOURCE,
    },
  };
  // Confidence threshold: refuse the least confident ~1.5 % of validation photos the distance
  // test accepted, capped so a clear majority answer is never refused.
  const calib = { ...calibrationNoConf, modelVersion: 'training' };
  const valConf = val
    .map((v, i) => postprocess(valLogits[i], v.embedding, calib))
    .filter((r) => !r.abstained)
    .map((r) => r.ranked[0].p);
  const minConfidence = Math.min(0.5, Math.max(0.2, quantile(valConf, 0.015)));
  calibrationNoConf.abstention.minConfidence = minConfidence;
  calib.abstention.minConfidence = minConfidence;

  // Baseline: Teachable-Machine-style kNN on the FLOAT backbone's 768-d pool, as that tool ships.
  const pool = await embedSamples(
    [...train, ...test].map((t) => ({
      sample: { sha: t.sha, slug: labels[t.label], path: t.path },
      augs: ['orig'] as AugmentationId[],
    })),
    {
      backboneDir: input.backboneDir,
      backboneHash: backbone.sourceHash,
      cacheDir: input.cacheDir,
      workers,
      kind: 'pool',
    },
    warn,
    log,
  );
  const poolOf = (sha: string): Float32Array | undefined => pool.embeddings.get(sha)?.get('orig');
  const knnRows = train.filter((t) => poolOf(t.sha));
  const knnTrain = {
    x: knnRows.map((t) => poolOf(t.sha) as Float32Array),
    y: knnRows.map((t) => t.label),
  };
  const knn = buildKnn(knnTrain.x, knnTrain.y, labels.length);
  const knnTest = computeMetrics(
    test
      .filter((t) => poolOf(t.sha))
      .map((t) => ({
        truth: t.label,
        probs: knnProbs(knn, poolOf(t.sha) as Float32Array),
        abstained: false,
      })),
    labels,
  );
  return {
    classes: input.classes,
    labels,
    head,
    calibration: calibrationNoConf,
    backbone,
    knnTrain,
    items,
    metrics: {
      test: scoreEmbeddings(head, calib, test),
      val: scoreEmbeddings(head, calib, val),
      knnTest,
    },
    splitCounts: { train: train.length, val: val.length, test: test.length },
    embedStats: stats,
    seconds: { embed: embedSeconds, head: headSeconds, total: (Date.now() - t0) / 1000 },
    options: { ...headOpts, augment, augmentations: augs, distanceQuantile },
  };
}
