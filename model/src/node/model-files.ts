// File IOHandlers for TF.js layers models: read model.json + its (extension-less) shard files,
// and write a model the same way. tfjs-node's file:// handler is unavailable without tfjs-node.
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { LayersModel, io } from '@tensorflow/tfjs';
import { quantizeWeights } from './quantize';
import type { QuantizationDtype } from './quantize';

interface ModelJson {
  modelTopology: object;
  weightsManifest: { paths: string[]; weights: io.WeightsManifestEntry[] }[];
  format?: string;
  generatedBy?: string;
  convertedBy?: string | null;
}

export function fileLoader(dir: string): io.IOHandler {
  return {
    load: async (): Promise<io.ModelArtifacts> => {
      const json = JSON.parse(await readFile(join(dir, 'model.json'), 'utf8')) as ModelJson;
      const weightSpecs: io.WeightsManifestEntry[] = [];
      const buffers: Buffer[] = [];
      for (const group of json.weightsManifest) {
        for (const p of group.paths) buffers.push(await readFile(join(dir, p)));
        weightSpecs.push(...group.weights);
      }
      const all = Buffer.concat(buffers);
      return {
        modelTopology: json.modelTopology,
        weightSpecs,
        weightData: all.buffer.slice(all.byteOffset, all.byteOffset + all.byteLength),
        format: json.format,
        generatedBy: json.generatedBy,
        convertedBy: json.convertedBy ?? undefined,
      };
    },
  };
}

/** Captures the artifacts of `model.save(...)` in memory (quantization happens before writing). */
export function memorySaver(): { handler: io.IOHandler; artifacts: () => io.ModelArtifacts } {
  let captured: io.ModelArtifacts | null = null;
  return {
    handler: {
      save: async (artifacts: io.ModelArtifacts): Promise<io.SaveResult> => {
        captured = artifacts;
        return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
      },
    },
    artifacts: () => {
      if (!captured) throw new Error('model was not saved');
      return captured;
    },
  };
}

/** Writes model.json + one shard named like the original backbone's (group1-shard1of1). */
export async function writeLayersModel(
  dir: string,
  modelTopology: object,
  weightSpecs: io.WeightsManifestEntry[],
  weightData: ArrayBuffer,
): Promise<void> {
  await mkdir(dir, { recursive: true });
  const shard = 'group1-shard1of1';
  await writeFile(join(dir, shard), new Uint8Array(weightData));
  const json: ModelJson = {
    format: 'layers-model',
    generatedBy: 'phytodiag-model',
    convertedBy: null,
    modelTopology,
    weightsManifest: [{ paths: [shard], weights: weightSpecs }],
  };
  await writeFile(join(dir, 'model.json'), JSON.stringify(json));
}

/**
 * Saves `model` quantized to `dir`, write-then-rename: a concurrent or interrupted run never sees
 * half a model (prepared backbones and ImageNet checks are shared caches).
 */
export async function saveQuantized(
  model: LayersModel,
  dir: string,
  dtype: QuantizationDtype,
): Promise<void> {
  const saver = memorySaver();
  await model.save(saver.handler);
  const art = saver.artifacts();
  if (!art.weightSpecs || !(art.weightData instanceof ArrayBuffer) || !art.modelTopology) {
    throw new Error(`unexpected artifacts saving ${model.name}`);
  }
  const q = quantizeWeights(art.weightSpecs, art.weightData, dtype);
  const tmp = `${dir}.${process.pid}.tmp`;
  await rm(tmp, { recursive: true, force: true });
  await mkdir(tmp, { recursive: true });
  await writeLayersModel(tmp, art.modelTopology as object, q.specs, q.data);
  await rm(dir, { recursive: true, force: true });
  await rename(tmp, dir);
}
