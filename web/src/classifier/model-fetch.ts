// Cache-first fetch of model files, done by the worker itself: the model must be on the device
// after the first load even if the service worker did not control the page yet (first visit).
// Model URLs are versioned (/models/<version>/...) and immutable, so cache-first is always right.

export const MODEL_CACHE = 'phytodiag-models-v1';
export const MANIFEST_URL = '/api/model/manifest';

export interface CachedFetchStats {
  fromCache: boolean;
  /** Bytes that came over the network (cache misses). */
  networkBytes: number;
}

export function makeCachedFetch(
  onBytes: (bytes: number) => void,
  stats: CachedFetchStats,
): typeof fetch {
  return async (input, init) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    const cache = await caches.open(MODEL_CACHE);
    const hit = await cache.match(url);
    if (hit) {
      const blob = await hit.clone().blob();
      onBytes(blob.size);
      return hit;
    }
    stats.fromCache = false;
    const res = await fetch(url, init);
    if (!res.ok) return res;
    const body = await readWithProgress(res, onBytes);
    stats.networkBytes += body.size;
    const stored = new Response(body, {
      status: 200,
      headers: { 'content-type': res.headers.get('content-type') ?? 'application/octet-stream' },
    });
    await cache.put(url, stored.clone());
    return stored;
  };
}

async function readWithProgress(res: Response, onBytes: (n: number) => void): Promise<Blob> {
  if (!res.body) {
    const b = await res.blob();
    onBytes(b.size);
    return b;
  }
  const reader = res.body.getReader();
  const chunks: Uint8Array<ArrayBuffer>[] = [];
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value as Uint8Array<ArrayBuffer>);
    onBytes(value.byteLength);
  }
  return new Blob(chunks);
}

/** Network first (a new model version is picked up), the last copy when offline. */
export async function fetchManifestJson<T>(): Promise<T> {
  const cache = await caches.open(MODEL_CACHE);
  try {
    const res = await fetch(MANIFEST_URL, { headers: { accept: 'application/json' } });
    if (res.ok) {
      await cache.put(MANIFEST_URL, res.clone());
      return (await res.json()) as T;
    }
    if (res.status === 404) {
      const stale = await cache.match(MANIFEST_URL);
      if (stale) return (await stale.json()) as T;
      throw new ModelUnavailableError();
    }
    throw new Error(`manifest HTTP ${res.status}`);
  } catch (err) {
    if (err instanceof ModelUnavailableError) throw err;
    const stale = await cache.match(MANIFEST_URL);
    if (stale) return (await stale.json()) as T;
    throw new ModelUnavailableError();
  }
}

export class ModelUnavailableError extends Error {
  readonly code = 'MODEL_NOT_AVAILABLE';
  constructor() {
    super('model not available');
  }
}

/** The version a cached model URL belongs to (/models/<version>/...), or null. */
export function versionOfModelUrl(url: string): string | null {
  const m = /\/models\/([^/]+)\//.exec(new URL(url, 'http://x').pathname);
  return m ? m[1] : null;
}

/**
 * Files are immutable per (version, path), and a retrained version usually ships the very same
 * backbone: a file whose sha256 the device already holds under the previous version is copied in
 * the cache instead of downloaded again. Returns the bytes reused.
 */
export async function reuseCachedFiles(
  from: { baseUrl: string; files: { path: string; sha256: string }[] },
  to: { baseUrl: string; files: { path: string; sha256: string; bytes: number }[] },
): Promise<number> {
  const cache = await caches.open(MODEL_CACHE);
  const bySha = new Map(from.files.map((f) => [f.sha256, f.path]));
  let reused = 0;
  for (const f of to.files) {
    const oldPath = bySha.get(f.sha256);
    if (!oldPath) continue;
    const target = `${withSlash(to.baseUrl)}${f.path}`;
    if (await cache.match(target)) continue;
    const hit = await cache.match(`${withSlash(from.baseUrl)}${oldPath}`);
    if (!hit) continue;
    await cache.put(target, hit);
    reused += f.bytes;
  }
  return reused;
}

/** Drops cached files of every model version but `keep` (the served one and the one before). */
export async function pruneModelCache(keep: string[]): Promise<void> {
  const cache = await caches.open(MODEL_CACHE);
  for (const req of await cache.keys()) {
    const v = versionOfModelUrl(req.url);
    if (v && !keep.includes(v)) await cache.delete(req);
  }
}

export const withSlash = (base: string): string => (base.endsWith('/') ? base : `${base}/`);
