// Train → export. The backbone is quantized before training (see prepared-backbone.ts), so the
// test metrics computed during training are already those of the shipped model. Used by the
// train CLI, the benchmark, and later by the API's retraining job.
import type { ClassInfo } from '../classifier-core';
import type { QuantizationDtype } from '../node/quantize';
import type { Sample } from './dataset';
import { exportModel } from './export-model';
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
  // One default, passed to both: the manifest must record the dtype the backbone was prepared with.
  const quantization = input.quantization ?? 'mixed';
  const result = await trainModel({ ...input, quantization });
  const exported = await exportModel(result, {
    modelDir: input.modelDir,
    version: input.version,
    quantization,
  });
  return {
    result,
    version: exported.version,
    dir: exported.dir,
    totalBytes: exported.manifest.totalBytes,
    seconds: (Date.now() - t0) / 1000,
  };
}
