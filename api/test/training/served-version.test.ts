// A model exported while the API runs (the CLI moves current.json) is served at once; the
// versions list must follow the pointer, and the admin can roll back to the one served before.
import { cp, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ModelManifest } from '../../src/contract/model';
import type { ModelVersionList } from '../../src/contract/training';
import { fromRepoRoot } from '../../src/paths';
import { seedDemoUsers } from '../../src/seed/seed-demo-users';
import { login } from '../helpers/http';
import { createTestApp, type TestApp } from '../helpers/test-app';

const PASSWORD = 'demo-password-for-served-version';
const SOURCE = fromRepoRoot(process.env.MODEL_DIR ?? './model/dist');

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
    const served = JSON.parse(await readFile(join(SOURCE, 'current.json'), 'utf8')) as {
      version: string;
    };
    a = served.version;
    b = `${a}-b`;
    await cp(join(SOURCE, a), join(t.config.modelDir, a), { recursive: true });
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
    const tmp = join(t.config.modelDir, 'current.json.tmp');
    await writeFile(tmp, JSON.stringify({ version: b }));
    await rename(tmp, join(t.config.modelDir, 'current.json'));

    const manifest = (await call('GET', '/api/model/manifest')).json() as ModelManifest;
    expect(manifest.version).toBe(b);
    expect(await current()).toEqual([b]);
    const listed = ((await call('GET', '/api/models')).json() as ModelVersionList).items;
    expect(listed.find((m) => m.version === b)?.metrics).toMatchObject({ n: expect.any(Number) });

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
