import { createHash } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectError } from './helpers/http';
import { createTestApp, type TestApp } from './helpers/test-app';
import type { Health } from '../src/contract/health';
import type { ModelManifest } from '../src/contract/model';

describe('health, model files, static shell and error bodies', () => {
  let t: TestApp;
  const shard = Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 31) % 256));
  const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('health reports the database kind and no model yet', async () => {
    const res = await t.app.inject({ url: '/api/health' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      status: 'ok',
      db: process.env.DATABASE_URL ? 'postgres' : 'pglite',
      model: null,
    } satisfies Health);
  });

  it('answers 404 MODEL_NOT_AVAILABLE before any export', async () => {
    expectError(await t.app.inject({ url: '/api/model/manifest' }), 404, 'MODEL_NOT_AVAILABLE');
  });

  it('serves the current manifest and its immutable files with matching sha256', async () => {
    const dir = join(t.config.modelDir, 'v-20250101');
    await mkdir(join(dir, 'backbone'), { recursive: true });
    await writeFile(join(dir, 'backbone', 'group1-shard1of1'), shard);
    const modelJson = Buffer.from('{"format":"layers-model"}');
    await writeFile(join(dir, 'backbone', 'model.json'), modelJson);
    await writeFile(
      join(dir, 'manifest.json'),
      JSON.stringify({
        version: 'v-20250101',
        created: '2025-01-01T00:00:00Z',
        classes: [{ slug: 'apple_scab', kind: 'disease', crop: { fr: 'Pommier', en: 'Apple' } }],
        inputSize: 224,
        files: [
          { path: 'backbone/model.json', sha256: sha(modelJson), bytes: modelJson.length },
          { path: 'backbone/group1-shard1of1', sha256: sha(shard), bytes: shard.length },
        ],
        quantization: 'float16',
        metrics: { top1: 0.9 },
      }),
    );
    await writeFile(
      join(t.config.modelDir, 'current.json'),
      JSON.stringify({ version: 'v-20250101' }),
    );

    const res = await t.app.inject({ url: '/api/model/manifest' });
    expect(res.statusCode).toBe(200);
    const manifest = res.json() as ModelManifest;
    expect(manifest).toMatchObject({
      version: 'v-20250101',
      baseUrl: '/models/v-20250101/',
      quantization: 'float16',
    });
    for (const f of manifest.files) {
      const file = await t.app.inject({ url: `${manifest.baseUrl}${f.path}` });
      expect(file.statusCode).toBe(200);
      expect(sha(file.rawPayload)).toBe(f.sha256);
      expect(file.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    }
    const bin = await t.app.inject({ url: '/models/v-20250101/backbone/group1-shard1of1' });
    expect(bin.headers['content-type']).toBe('application/octet-stream');
    expect((await t.app.inject({ url: '/api/health' })).json()).toMatchObject({
      model: { version: 'v-20250101' },
    });

    await t.app.services.model.registerCurrent();
    const rows = await t.app.db.query<{ version: string; is_current: boolean }>(
      'SELECT version, is_current FROM model_versions',
    );
    expect(rows).toEqual([{ version: 'v-20250101', is_current: true }]);
  });

  it('never serves files outside a model version or the media store', async () => {
    await writeFile(join(t.config.modelDir, 'secret.txt'), 'secret');
    // Inside the version folder but not in its manifest: the evaluation's training-set
    // embeddings are not for devices, nor for anyone else.
    await mkdir(join(t.config.modelDir, 'v-20250101', 'eval'), { recursive: true });
    await writeFile(join(t.config.modelDir, 'v-20250101', 'eval', 'knn-train.json'), 'secret');
    expect((await t.app.inject({ url: '/models/v-20250101/manifest.json' })).statusCode).toBe(200);
    for (const url of [
      '/models/v-20250101/../secret.txt',
      '/models/v-20250101/%2e%2e/secret.txt',
      '/models/v-20250101/..%2fsecret.txt',
      '/models/..%2f/current.json',
      '/models/v-20250101/missing.bin',
      '/models/v-20250101/eval/knn-train.json',
      '/images/..%2f..%2fetc%2fpasswd',
      '/images/' + 'a'.repeat(64) + '.jpg',
    ]) {
      const res = await t.app.inject({ url });
      expect(res.statusCode, url).toBe(404);
      expect(res.body, url).not.toContain('secret');
    }
  });

  it('every error has { error: { code, message } }, including unknown routes and 405-like misuse', async () => {
    expectError(await t.app.inject({ url: '/api/unknown' }), 404, 'NOT_FOUND');
    expectError(await t.app.inject({ method: 'DELETE', url: '/api/library' }), 404, 'NOT_FOUND');
    expectError(
      await t.app.inject({
        method: 'POST',
        url: '/api/auth/login',
        headers: { 'content-type': 'application/json' },
        payload: '{"email":',
      }),
      400,
      'INVALID_JSON',
    );
    expectError(
      await t.app.inject({
        method: 'POST',
        url: '/api/auth/register',
        headers: { 'content-type': 'application/xml' },
        payload: '<x/>',
      }),
      415,
      'UNSUPPORTED_MEDIA_TYPE',
    );
    expectError(
      await t.app.inject({
        method: 'POST',
        url: '/api/auth/register',
        payload: { email: 'a@b.co', password: 'x'.repeat(2_000_000), profileKind: 'producer' },
      }),
      413,
      'PAYLOAD_TOO_LARGE',
    );
  });

  it('hides internal errors behind INTERNAL', async () => {
    const t2 = await createTestApp();
    try {
      // Break the database under the app: the failure must not leak its message.
      await t2.app.db.exec('DROP TABLE library_entries CASCADE');
      const res = await t2.app.inject({ url: '/api/library' });
      expectError(res, 500, 'INTERNAL');
      expect(res.body).not.toMatch(/library_entries|stack|relation/i);
    } finally {
      await t2.close();
    }
  });

  it('serves a French placeholder and SPA fallback for HTML navigation, with security headers', async () => {
    const res = await t.app.inject({ url: '/diagnostic/123', headers: { accept: 'text/html' } });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/html');
    expect(res.body).toContain('lang="fr"');
    expect(res.headers['cross-origin-embedder-policy']).toBe('require-corp');
    expect(res.headers['cross-origin-opener-policy']).toBe('same-origin');
    expect(res.headers['content-security-policy']).toContain(
      "script-src 'self' 'wasm-unsafe-eval' blob:;",
    );
    expect(res.headers['content-security-policy']).toContain("worker-src 'self' blob:");
  });

  it('serves the built PWA with no-cache on index.html and sw.js', async () => {
    const web = join(t.tmp, 'web-built');
    await mkdir(join(web, 'assets'), { recursive: true });
    await writeFile(join(web, 'index.html'), '<!doctype html><title>PWA</title>');
    await writeFile(join(web, 'sw.js'), 'self.addEventListener("fetch", () => {});');
    await writeFile(join(web, 'assets', 'app-abc123.js'), 'console.log(1)');
    const t2 = await createTestApp({ WEB_DIST_DIR: web });
    try {
      const index = await t2.app.inject({ url: '/', headers: { accept: 'text/html' } });
      expect(index.body).toContain('<title>PWA</title>');
      expect(index.headers['cache-control']).toBe('no-cache');
      const deep = await t2.app.inject({
        url: '/escalations/new',
        headers: { accept: 'text/html' },
      });
      expect(deep.body).toContain('<title>PWA</title>');
      expect((await t2.app.inject({ url: '/sw.js' })).headers['cache-control']).toBe('no-cache');
      expect(
        (await t2.app.inject({ url: '/assets/app-abc123.js' })).headers['cache-control'],
      ).toContain('immutable');
      expectError(
        await t2.app.inject({ url: '/api/nope', headers: { accept: 'text/html' } }),
        404,
        'NOT_FOUND',
      );
    } finally {
      await t2.close();
    }
  });

  it('publishes the OpenAPI document', async () => {
    const res = await t.app.inject({ url: '/api/docs/json' });
    expect(res.statusCode).toBe(200);
    expect(Object.keys((res.json() as { paths: object }).paths)).toContain('/api/escalations');
  });
});
