// The shipped backbone is built and quantized ONCE, before training, and the head, temperature,
// centroids and thresholds are all fitted on embeddings from that exact quantized file: the
// browser then sees the features the head was trained on (quantizing after training cost ~3
// points of top-1). Building is deterministic, so the result is cached by source hash + options.
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { cp, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { FEATURES_VERSION, hashModelDir, loadBackbone } from './backbone';
import { saveQuantized } from './model-files';
import type { QuantizationDtype } from './quantize';

export interface PreparedBackbone {
  /** Folder holding model.json + shard of the extractor that will be exported. */
  dir: string;
  /** hashModelDir(dir): the embedding cache key. */
  hash: string;
  /** hashModelDir of the source (full ImageNet) model. */
  sourceHash: string;
}

export async function prepareBackbone(
  sourceDir: string,
  cacheDir: string,
  dtype: QuantizationDtype,
): Promise<PreparedBackbone> {
  const sourceHash = await hashModelDir(sourceDir);
  const key = createHash('sha256')
    .update(`${sourceHash}:${dtype}:${FEATURES_VERSION}`)
    .digest('hex')
    .slice(0, 16);
  const dir = join(cacheDir, 'backbones', key);
  if (!existsSync(join(dir, 'model.json'))) {
    const extractor = await loadBackbone(sourceDir, 'features');
    try {
      await saveQuantized(extractor, dir, dtype);
    } finally {
      extractor.dispose();
    }
  }
  return { dir, hash: await hashModelDir(dir), sourceHash };
}

/** Copies the prepared extractor into an export folder (byte-identical to what was embedded). */
export async function copyBackbone(prepared: PreparedBackbone, outDir: string): Promise<void> {
  await mkdir(outDir, { recursive: true });
  await cp(prepared.dir, outDir, { recursive: true });
}
