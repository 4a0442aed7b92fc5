// The retraining worker as the server runs it on PostgreSQL: a pg-boss job, not a direct call to
// the runner. PGlite has no pg-boss (the in-process loop is covered by retrain.test.ts).
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TrainingRequestList } from '../../src/contract/bank';
import type { ModelManifest } from '../../src/contract/model';
import type { ModelVersionList } from '../../src/contract/training';
import { TRAINING_QUEUE } from '../../src/services/training-worker';
import { seedDemoUsers } from '../../src/seed/seed-demo-users';
import { seedLibrary } from '../../src/seed/seed-library';
import { login } from '../helpers/http';
import { buildImageBank } from '../helpers/image-bank';
import { createTestApp, type TestApp } from '../helpers/test-app';
import { realImages, submitAndValidate } from './bank-world';

const SLUGS = ['corn_common_rust', 'insect_grasshopper', 'weed_dandelion'] as const;
const SEEDED_PER_CLASS = 9;
const PASSWORD = 'demo-password-for-pg-boss-tests';
const CACHE_DIR = process.env.TRAINING_TEST_CACHE_DIR ?? '/tmp/phytodiag-training-test-cache';
/** Few epochs, no augmentation, in-process embedding: seconds, not minutes. */
const FAST = { epochs: 30, augment: false, workers: 0 };
/** Cold embedding cache on a busy 2-core machine included. */
const JOB_TIMEOUT_MS = 240_000;

describe.skipIf(!process.env.DATABASE_URL)('pg-boss retraining worker (PostgreSQL)', () => {
  let t: TestApp;
  let specialist: string;
  let agronomist: string;

  const get = (url: string) =>
    t.app.inject({ method: 'GET', url, headers: { cookie: specialist } });
  const requests = async () =>
    ((await get('/api/training-requests')).json() as TrainingRequestList).items;

  beforeAll(async () => {
    t = await createTestApp(
      { DEMO_PASSWORD: PASSWORD, MODEL_CACHE_DIR: CACHE_DIR, TRAINING_POLL_SECONDS: '1' },
      { trainingOptions: FAST },
    );
    const bank = join(t.tmp, 'bank');
    await buildImageBank(bank, SLUGS, SEEDED_PER_CLASS);
    await seedLibrary(t.app.db, t.app.media, {
      imagebankDir: bank,
      factSheetsDir: join(t.tmp, 'none'),
    });
    await seedDemoUsers(t.app.services.auth, t.app.repos, PASSWORD);
    specialist = await login(t.app, 'specialiste@demo.local', PASSWORD);
    agronomist = await login(t.app, 'agronome@demo.local', PASSWORD);
  });
  afterAll(() => t?.close());

  it('a validated submission queues a pg-boss job; the worker retrains and publishes', async () => {
    for (const slug of SLUGS) {
      const files = (await realImages(slug)).slice(SEEDED_PER_CLASS, SEEDED_PER_CLASS + 3);
      await submitAndValidate(t.app, { agronomist, specialist }, slug, files);
    }
    const [queued] = await requests();
    expect(queued).toMatchObject({ status: 'queued', newImages: 9 });
    expect((await get('/api/models')).json()).toEqual({ items: [] });

    // What server.ts does at start-up when TRAINING_WORKER is on.
    await t.app.training.startWorker();
    const deadline = Date.now() + JOB_TIMEOUT_MS;
    let seenRunning = false;
    let finished: string | undefined;
    while (Date.now() < deadline) {
      const status = (await requests()).find((r) => r.id === queued?.id)?.status;
      if (status === 'running') seenRunning = true;
      if (status !== 'queued' && status !== 'running') {
        finished = status;
        break;
      }
      await new Promise((r) => setTimeout(r, 250));
    }
    expect(finished).toBe('succeeded');

    // The job went through pg-boss: its own table holds it, completed by the worker.
    const jobs = await t.app.db.query<{ state: string }>(
      `SELECT state FROM pgboss.job WHERE name = $1`,
      [TRAINING_QUEUE],
    );
    expect(jobs.length).toBeGreaterThanOrEqual(1);
    expect(jobs.map((j) => j.state)).toContain('completed');

    const { items } = (await get('/api/models')).json() as ModelVersionList;
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({
      status: 'published',
      current: true,
      trainingRequestId: queued?.id,
      gate: { passed: true, baselineVersion: null },
    });
    const manifest = (await get('/api/model/manifest')).json() as ModelManifest;
    expect(manifest.version).toBe(items[0]?.version);
    // Polled every 250 ms: a multi-second training is seen running at least once.
    expect(seenRunning).toBe(true);
  });
});
