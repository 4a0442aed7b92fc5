// Hashes sample files, then fills in the embeddings they need from the cache or the backbone.
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { EmbeddingCache } from '../node/embedding-cache';
import { createEmbedPool } from '../node/embed-pool';
import type { ExtractorKind } from '../node/backbone';
import type { AugmentationId } from './augment';
import type { Sample } from './dataset';

export interface HashedSample extends Sample {
  sha: string;
}

export async function hashSamples(
  samples: Sample[],
  warn: (m: string) => void,
): Promise<HashedSample[]> {
  const out: HashedSample[] = [];
  const seen = new Set<string>();
  for (const s of samples) {
    try {
      const sha = createHash('sha256')
        .update(await readFile(s.path))
        .digest('hex');
      if (seen.has(sha)) {
        warn(`duplicate image ${s.path} ignored`);
        continue;
      }
      seen.add(sha);
      out.push({ ...s, sha });
    } catch (err) {
      warn(`cannot read ${s.path}: ${err instanceof Error ? err.message : String(err)}; skipped`);
    }
  }
  return out;
}

export interface EmbedRequest {
  sample: HashedSample;
  augs: AugmentationId[];
}

export interface EmbedStats {
  computed: number;
  cached: number;
  failed: number;
}

/**
 * Returns sha → (aug → embedding). Samples that fail to decode are reported and left out, so one
 * corrupt upload never stops a retrain.
 */
export async function embedSamples(
  requests: EmbedRequest[],
  opts: {
    backboneDir: string;
    backboneHash: string;
    cacheDir: string;
    workers: number;
    kind?: ExtractorKind;
  },
  warn: (m: string) => void,
  log: (m: string) => void,
): Promise<{ embeddings: Map<string, Map<string, Float32Array>>; stats: EmbedStats }> {
  const cache = new EmbeddingCache(opts.cacheDir, opts.backboneHash);
  const embeddings = new Map<string, Map<string, Float32Array>>();
  const missing: EmbedRequest[] = [];
  const stats: EmbedStats = { computed: 0, cached: 0, failed: 0 };
  for (const r of requests) {
    const found = new Map<string, Float32Array>();
    const todo: AugmentationId[] = [];
    for (const a of r.augs) {
      const e = await cache.get(r.sample.sha, a);
      if (e) found.set(a, e);
      else todo.push(a);
    }
    stats.cached += found.size;
    embeddings.set(r.sample.sha, found);
    if (todo.length) missing.push({ sample: r.sample, augs: todo });
  }
  if (missing.length === 0) return { embeddings, stats };
  const total = missing.reduce((n, r) => n + r.augs.length, 0);
  log(
    `embedding ${total} new image variants (${missing.length} images), ${opts.workers || 'no'} worker threads`,
  );
  const pool = await createEmbedPool(opts.backboneDir, opts.workers, opts.kind);
  let done = 0;
  const started = Date.now();
  try {
    await Promise.all(
      missing.map(async (r) => {
        const outcome = await pool.run({ sha: r.sample.sha, path: r.sample.path, augs: r.augs });
        if (!outcome.ok) {
          stats.failed++;
          embeddings.delete(r.sample.sha);
          warn(`cannot decode ${r.sample.path}: ${outcome.error}; skipped`);
          return;
        }
        const found = embeddings.get(r.sample.sha) as Map<string, Float32Array>;
        for (let i = 0; i < r.augs.length; i++) {
          found.set(r.augs[i], outcome.embeddings[i]);
          await cache.set(r.sample.sha, r.augs[i], outcome.embeddings[i]);
        }
        stats.computed += r.augs.length;
        done++;
        if (done % 100 === 0)
          log(`  ${done}/${missing.length} images, ${Math.round((Date.now() - started) / 1000)} s`);
      }),
    );
  } finally {
    await pool.close();
  }
  return { embeddings, stats };
}
