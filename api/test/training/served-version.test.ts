// A model exported while the API runs (the CLI moves current.json) is served at once; the
// versions list must follow the pointer, and the admin can roll back to the one served before.
import { createHash } from 'node:crypto';
import { cp, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ModelManifest } from '../../src/contract/model';
import type { ModelVersionList } from '../../src/contract/training';
import { seedDemoUsers } from '../../src/seed/seed-demo-users';
import { login } from '../helpers/http';
import { createTestApp, type TestApp } from '../helpers/test-app';

const PASSWORD = 'demo-password-for-served-version';

/**
 * An exported version as the model package writes it, minus the weights: what serving and the
 * versions list read (manifest, its files with sha256). No trained model is needed, so the suite
 * runs on a fresh clone before any training.
 */
async function writeVersion(modelDir: string, version: string, created: string): Promise<void> {
  const dir = join(modelDir, version);
  await mkdir(dir, { recursive: true });
  const labels = JSON.stringify(['apple_scab', 'potato_late_blight']);
  await writeFile(join(dir, 'labels.json'), labels);
  const manifest = {
    version,
    created,
    classes: [{ slug: 'apple_scab' }, { slug: 'potato_late_blight' }],
    inputSize: 224,
    files: [
      {
        path: 'labels.json',
        sha256: createHash('sha256').update(labels).digest('hex'),
        bytes: Buffer.byteLength(labels),
      },
    ],
    metrics: { n: 40, top1: 0.9, top3: 1, ece: 0.03 },
  };
  await writeFile(join(dir, 'manifest.json'), JSON.stringify(manifest));
  await writeFile(join(dir, 'metrics.json'), JSON.stringify({ test: manifest.metrics }));
}

describe('the versions list follows the served pointer', () => {
  let t: TestApp;
  let admin: string;
  let a: string;
  let b: string;

  const call = (method: 'GET' | 'POST', url: string) =>
    t.app.inject({ method, url, headers: { cookie: admin } });
  const current = async () =>
    ((await call('GET', '/api/models')).json() as ModelVersionList).items
      .filter((m) => m.current)
      .map((m) => m.version);

  beforeAll(async () => {
    t = await createTestApp({ DEMO_PASSWORD: PASSWORD });
    a = '20260101-000000';
    b = `${a}-b`;
    await writeVersion(t.config.modelDir, a, '2026-01-01T00:00:00.000Z');
    await writeFile(join(t.config.modelDir, 'current.json'), JSON.stringify({ version: a }));
    // What server start-up does.
    expect(await t.app.services.model.registerCurrent()).toBe(a);
    await seedDemoUsers(t.app.services.auth, t.app.repos, PASSWORD);
    admin = await login(t.app, 'admin@demo.local', PASSWORD);
  });
  afterAll(() => t.close());

  it('records a version exported while running, then rolls back to the previous one', async () => {
    expect(await current()).toEqual([a]);
    await cp(join(t.config.modelDir, a), join(t.config.modelDir, b), { recursive: true });
    const bManifest = join(t.config.modelDir, b, 'manifest.json');
    const copied = JSON.parse(await readFile(bManifest, 'utf8')) as ModelManifest;
    await writeFile(
      bManifest,
      JSON.stringify({ ...copied, version: b, created: '2026-02-01T12:30:00+01:00' }),
    );
    const tmp = join(t.config.modelDir, 'current.json.tmp');
    await writeFile(tmp, JSON.stringify({ version: b }));
    await rename(tmp, join(t.config.modelDir, 'current.json'));

    const manifest = (await call('GET', '/api/model/manifest')).json() as ModelManifest;
    expect(manifest.version).toBe(b);
    expect(await current()).toEqual([b]);
    const listed = ((await call('GET', '/api/models')).json() as ModelVersionList).items;
    expect(listed.find((m) => m.version === b)?.metrics).toMatchObject({ n: expect.any(Number) });
    // Dated by training (the manifest), not by when this database first saw them.
    expect(listed.map((m) => [m.version, m.createdAt])).toEqual([
      [b, '2026-02-01T11:30:00.000Z'],
      [a, '2026-01-01T00:00:00.000Z'],
    ]);

    expect((await call('POST', `/api/models/${a}/rollback`)).statusCode).toBe(204);
    expect(((await call('GET', '/api/model/manifest')).json() as ModelManifest).version).toBe(a);
    expect(await current()).toEqual([a]);
  });

  it('ignores a pointer to a version that is not on disk', async () => {
    await writeFile(join(t.config.modelDir, 'current.json'), JSON.stringify({ version: 'gone-1' }));
    expect(await current()).toEqual([a]);
    await writeFile(join(t.config.modelDir, 'current.json'), JSON.stringify({ version: a }));
  });
});
