// Writes a trained model to MODEL_DIR/<version>/ in the layout of docs/architecture.md and moves
// MODEL_DIR/current.json to it.
import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import type { Calibration } from '../classifier-core';
import { INPUT_SIZE } from '../preprocess';
import { memorySaver, writeLayersModel } from '../node/model-files';
import { copyImagenetCheck } from '../node/imagenet-check';
import { copyBackbone } from '../node/prepared-backbone';
import { MIN_QUANTIZED_ELEMENTS } from '../node/quantize';
import type { QuantizationDtype } from '../node/quantize';
import { headModel } from './head';
import type { TrainResult } from './train-model';

export interface ManifestFile {
  path: string;
  sha256: string;
  bytes: number;
}

export interface Manifest {
  version: string;
  created: string;
  classes: TrainResult['classes'];
  inputSize: number;
  embeddingSize: number;
  files: ManifestFile[];
  quantization: { backbone: QuantizationDtype; minElements: number };
  totalBytes: number;
  metrics: Record<string, number | null>;
}

/** Node-only evaluation data kept beside the model but not listed in the manifest. */
export const KNN_BASELINE_FILE = 'eval/knn-train.json';

export function newVersion(date = new Date()): string {
  return date.toISOString().replace(/[-:]/g, '').replace(/\..*/, '').replace('T', '-');
}

async function listFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...(await listFiles(p)));
    else out.push(p);
  }
  return out;
}

export async function sha256File(path: string): Promise<string> {
  return createHash('sha256')
    .update(await readFile(path))
    .digest('hex');
}

export interface ExportOptions {
  modelDir: string;
  version?: string;
  /** Recorded in the manifest; must be the dtype result.backbone was prepared with. */
  quantization?: QuantizationDtype;
}

export async function exportModel(
  result: TrainResult,
  opts: ExportOptions,
): Promise<{ version: string; dir: string; manifest: Manifest }> {
  const version = opts.version ?? newVersion();
  const dtype = opts.quantization ?? 'mixed';
  const dir = join(opts.modelDir, version);
  await mkdir(dir, { recursive: true });
  await copyBackbone(result.backbone, join(dir, 'backbone'));
  await copyImagenetCheck(result.imagenetDir, join(dir, 'imagenet'));

  const head = headModel(result.head);
  const saver = memorySaver();
  await head.save(saver.handler);
  head.dispose();
  const art = saver.artifacts();
  await writeLayersModel(
    join(dir, 'head'),
    art.modelTopology as object,
    art.weightSpecs ?? [],
    art.weightData as ArrayBuffer,
  );

  // Six significant digits are far below the distance thresholds' resolution and halve the file.
  const round = (c: number[]): number[] => c.map((v) => Number(v.toPrecision(6)));
  const calibration: Calibration = {
    ...result.calibration,
    centroids: result.calibration.centroids.map(round),
    modelVersion: version,
  };
  await writeFile(join(dir, 'labels.json'), JSON.stringify(result.labels, null, 1));
  await writeFile(join(dir, 'calibration.json'), JSON.stringify(calibration));
  const metrics = {
    model_version: version,
    evaluated_on:
      'held-out test split of the image bank (fixed per image sha256), embeddings of the shipped quantized backbone',
    split_counts: result.splitCounts,
    test: result.metrics.test,
    validation: result.metrics.val,
    knn_baseline_test: result.metrics.knnTest,
    temperature: calibration.temperature,
    temperatureSlope: calibration.temperatureSlope ?? 0,
    abstention: {
      minConfidence: calibration.abstention.minConfidence,
      imagenetMinMass: calibration.abstention.imagenet?.minMass ?? null,
      imagenetClasses: calibration.abstention.imagenet?.classes.length ?? null,
    },
    options: result.options,
  };
  await writeFile(join(dir, 'metrics.json'), JSON.stringify(metrics, null, 1));

  // Baseline data for `eval --baseline knn` (float-backbone 768-d pool embeddings). Node only.
  if (result.knnTrain) {
    await mkdir(join(dir, 'eval'), { recursive: true });
    await writeFile(
      join(dir, KNN_BASELINE_FILE),
      JSON.stringify({
        backboneHash: result.backbone.sourceHash,
        labels: result.labels,
        y: result.knnTrain.y,
        x: result.knnTrain.x.map((e) => Array.from(e, (v) => Math.round(v * 1e5) / 1e5)),
        test: result.items.filter((i) => i.split === 'test').map((i) => i.sha),
      }),
    );
  }

  const files: ManifestFile[] = [];
  for (const p of (await listFiles(dir)).sort()) {
    const rel = relative(dir, p).split('\\').join('/');
    if (rel === 'manifest.json' || rel.startsWith('eval/')) continue;
    files.push({ path: rel, sha256: await sha256File(p), bytes: (await stat(p)).size });
  }
  const manifest: Manifest = {
    version,
    created: new Date().toISOString(),
    classes: result.classes,
    inputSize: INPUT_SIZE,
    embeddingSize: result.head.inputSize,
    files,
    quantization: { backbone: dtype, minElements: MIN_QUANTIZED_ELEMENTS },
    totalBytes: files.reduce((n, f) => n + f.bytes, 0),
    metrics: {
      top1: result.metrics.test.top1,
      top3: result.metrics.test.top3,
      ece: result.metrics.test.ece,
      abstain_rate_known: result.metrics.test.abstain_rate_known,
    },
  };
  await writeFile(join(dir, 'manifest.json'), JSON.stringify(manifest, null, 1));
  const tmp = join(opts.modelDir, `current.json.${process.pid}.tmp`);
  await writeFile(tmp, JSON.stringify({ version }));
  await rename(tmp, join(opts.modelDir, 'current.json'));
  return { version, dir, manifest };
}
