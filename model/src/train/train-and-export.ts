// Train → export → score the shipped (quantized) backbone on the test split. Used by the train CLI,
// the benchmark, and later by the API's retraining job.
import { availableParallelism } from 'node:os';
import type { ClassInfo } from '../classifier-core';
import { hashModelDir } from '../node/backbone';
import type { QuantizationDtype } from '../node/quantize';
import type { Sample } from './dataset';
import { embedSamples } from './embed-samples';
import { exportModel } from './export-model';
import { scoreEmbeddings } from './score-embeddings';
import { trainModel } from './train-model';
import type { TrainInput, TrainResult } from './train-model';

export interface TrainAndExportInput extends Omit<TrainInput, 'samples' | 'classes'> {
  samples: Sample[];
  classes: ClassInfo[];
  modelDir: string;
  quantization?: QuantizationDtype;
  version?: string;
}

export async function trainAndExport(input: TrainAndExportInput): Promise<{
  result: TrainResult;
  version: string;
  dir: string;
  totalBytes: number;
  seconds: number;
}> {
  const t0 = Date.now();
  const log = input.log ?? ((m: string) => console.error(m));
  const warn = input.warn ?? ((m: string) => console.error(`warning: ${m}`));
  const result = await trainModel({ ...input, log, warn });
  const quantization = input.quantization ?? 'mixed';
  const exported = await exportModel(result, {
    modelDir: input.modelDir,
    backboneDir: input.backboneDir,
    version: input.version,
    quantization,
    afterBackbone: async (backboneDir) => {
      // Re-embed the test images with the exported backbone: the accuracy cost of quantization.
      const test = result.items.filter((i) => i.split === 'test');
      const { embeddings } = await embedSamples(
        test.map((t) => ({
          sample: { sha: t.sha, slug: result.labels[t.label], path: t.path },
          augs: ['orig'],
        })),
        {
          backboneDir,
          backboneHash: await hashModelDir(backboneDir),
          cacheDir: input.cacheDir,
          workers: input.workers ?? Math.min(2, availableParallelism()),
        },
        warn,
        log,
      );
      const rows = test
        .filter((t) => embeddings.get(t.sha)?.has('orig'))
        .map((t) => ({
          label: t.label,
          embedding: embeddings.get(t.sha)?.get('orig') as Float32Array,
        }));
      const m = scoreEmbeddings(
        result.head,
        { ...result.calibration, modelVersion: 'quantized' },
        rows,
      );
      return { test_quantized_backbone: { quantization, ...m } };
    },
  });
  return {
    result,
    version: exported.version,
    dir: exported.dir,
    totalBytes: exported.manifest.totalBytes,
    seconds: (Date.now() - t0) / 1000,
  };
}
