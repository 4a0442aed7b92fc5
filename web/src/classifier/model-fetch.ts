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

/** What the manifest promises for one file: checked before a download is kept. */
export interface ExpectedFile {
  sha256: string;
  bytes: number;
}

export class ModelIntegrityError extends Error {
  constructor(readonly url: string) {
    super(`model file ${url} does not match the manifest (size or sha256)`);
    this.name = 'ModelIntegrityError';
  }
}

/** Absolute form of a URL as the worker sees it (tfjs asks for weights by absolute URL). */
export const absoluteUrl = (url: string): string => new URL(url, self.location.href).href;

async function matches(body: Blob, expected: ExpectedFile): Promise<boolean> {
  if (body.size !== expected.bytes) return false;
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', await body.arrayBuffer()));
  const hex = Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('');
  return hex === expected.sha256;
}

/**
 * Cache-first fetch of one model version's files. Each file the manifest lists (`expected`, by
 * absolute URL) is checked against its size and sha256 before it is kept, and again when read
 * from the cache: a download cut short or altered on the way (a proxy, a captive portal) is
 * never kept, and one kept by an older app version is fetched again, instead of breaking the
 * model on this device until the next version.
 */
export function makeCachedFetch(
  onBytes: (bytes: number) => void,
  stats: CachedFetchStats,
  expected: ReadonlyMap<string, ExpectedFile>,
): typeof fetch {
  return async (input, init) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    const want = expected.get(absoluteUrl(url));
    const cache = await caches.open(MODEL_CACHE);
    const hit = await cache.match(url);
    if (hit) {
      const blob = await hit.clone().blob();
      if (!want || (await matches(blob, want))) {
        onBytes(blob.size);
        return hit;
      }
      await cache.delete(url);
    }
    stats.fromCache = false;
    const res = await fetch(url, init);
    if (!res.ok) return res;
    const body = await readWithProgress(res, onBytes);
    if (want && !(await matches(body, want))) throw new ModelIntegrityError(url);
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

/** Enough of a manifest to load a model: anything else (an HTML page with a 200) is not one. */
function isManifest(m: unknown): boolean {
  if (typeof m !== 'object' || m === null) return false;
  const { version, baseUrl, files } = m as Record<string, unknown>;
  return (
    typeof version === 'string' &&
    typeof baseUrl === 'string' &&
    Array.isArray(files) &&
    files.every(
      (f: unknown) =>
        typeof f === 'object' &&
        f !== null &&
        typeof (f as Record<string, unknown>).path === 'string' &&
        typeof (f as Record<string, unknown>).sha256 === 'string' &&
        typeof (f as Record<string, unknown>).bytes === 'number',
    )
  );
}

async function readManifest(res: Response): Promise<unknown> {
  const body: unknown = await res.json().catch(() => null);
  return isManifest(body) ? body : null;
}

/**
 * Network first (a new model version is picked up), the last copy when offline. An answer is
 * kept only once read as a manifest: a captive portal's or a proxy's page served with a 200
 * must not replace the copy that lets the model load offline.
 */
export async function fetchManifestJson<T>(): Promise<T> {
  const cache = await caches.open(MODEL_CACHE);
  const stale = async (): Promise<T | null> => {
    const hit = await cache.match(MANIFEST_URL);
    const m = hit ? await readManifest(hit) : null;
    // A copy an older app version kept without reading it may not be a manifest: drop it.
    if (hit && !m) await cache.delete(MANIFEST_URL);
    return m as T | null;
  };
  let res: Response;
  try {
    res = await fetch(MANIFEST_URL, { headers: { accept: 'application/json' } });
  } catch {
    const last = await stale();
    if (last) return last;
    throw new ModelUnavailableError();
  }
  const fresh = res.ok ? await readManifest(res) : null;
  if (fresh) {
    await cache.put(
      MANIFEST_URL,
      new Response(JSON.stringify(fresh), { headers: { 'content-type': 'application/json' } }),
    );
    return fresh as T;
  }
  const last = await stale();
  if (last) return last;
  if (res.ok || res.status === 404) throw new ModelUnavailableError();
  throw new Error(`manifest HTTP ${res.status}`);
}

/**
 * The manifest of the last version that loaded in full on this device, under a key of its own:
 * the served manifest is saved as soon as it is read, before its files arrive, so after a cut
 * download it names a version the device cannot load offline. This one never does.
 */
const COMPLETE_MANIFEST_KEY = '/api/model/manifest?complete';

export async function rememberCompleteManifest(manifest: unknown): Promise<void> {
  const cache = await caches.open(MODEL_CACHE);
  await cache.put(
    COMPLETE_MANIFEST_KEY,
    new Response(JSON.stringify(manifest), { headers: { 'content-type': 'application/json' } }),
  );
}

export async function lastCompleteManifest<T>(): Promise<T | null> {
  const hit = await (await caches.open(MODEL_CACHE)).match(COMPLETE_MANIFEST_KEY);
  return ((hit ? await readManifest(hit) : null) as T | null) ?? null;
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
