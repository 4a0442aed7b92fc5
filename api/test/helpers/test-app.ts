import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { buildApp, type App, type BuildOptions } from '../../src/app';
import { loadConfig, type AppConfig } from '../../src/config';

export interface TestApp {
  app: App;
  config: AppConfig;
  tmp: string;
  close(): Promise<void>;
}

/**
 * A real application on a real, empty database: in-memory PGlite by default; with DATABASE_URL
 * set, a fresh database created on that server for this test file and dropped afterwards.
 */
export async function createTestApp(
  env: Record<string, string> = {},
  options: BuildOptions = {},
): Promise<TestApp> {
  const tmp = await mkdtemp(join(tmpdir(), 'phytodiag-api-test-'));
  const serverUrl = process.env.DATABASE_URL;
  let databaseUrl: string | undefined;
  let dropDatabase = async () => undefined as void;
  if (serverUrl) {
    const name = `phytodiag_t_${randomBytes(6).toString('hex')}`;
    const admin = new pg.Client({ connectionString: serverUrl });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
    const url = new URL(serverUrl);
    url.pathname = `/${name}`;
    databaseUrl = url.toString();
    dropDatabase = async () => {
      const c = new pg.Client({ connectionString: serverUrl });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    };
  }
  const config = loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    DATA_DIR: tmp,
    PGLITE_DIR: 'memory://',
    MODEL_DIR: join(tmp, 'model'),
    WEB_DIST_DIR: join(tmp, 'web'),
    IMAGEBANK_DIR: join(tmp, 'imagebank'),
    SEED_ON_START: 'false',
    // Suites register dozens of accounts from one address; the limit has its own test.
    REGISTER_RATE_LIMIT_MAX: '100000',
    ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
    ...env,
  });
  const app = await buildApp(config, options);
  return {
    app,
    config,
    tmp,
    async close() {
      await app.close();
      await dropDatabase();
      await rm(tmp, { recursive: true, force: true });
    },
  };
}
