import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { rescoreVersion, splitOf } from '@phytodiag/model/retrain';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TrainingRequestList } from '../../src/contract/bank';
import type { ModelManifest } from '../../src/contract/model';
import type { ModelVersionList, TrainingOutcome } from '../../src/contract/training';
import { createTrainingRunner } from '../../src/services/training-runner';
import { seedDemoUsers } from '../../src/seed/seed-demo-users';
import { seedLibrary } from '../../src/seed/seed-library';
import { expectError, login } from '../helpers/http';
import { buildImageBank } from '../helpers/image-bank';
import { createTestApp, type TestApp } from '../helpers/test-app';
import { realImages, submitAndValidate as submitAndValidateAs } from './bank-world';

/** Visually distinct classes: a one-photo wobble between retrains stays within the gate. */
const SLUGS = ['corn_common_rust', 'insect_grasshopper', 'weed_dandelion'] as const;
const SEEDED_PER_CLASS = 9;
const PASSWORD = 'demo-password-for-training-tests';
/** Shared across runs: the quantized backbone and embeddings are cached by content hash. */
const CACHE_DIR = process.env.TRAINING_TEST_CACHE_DIR ?? '/tmp/phytodiag-training-test-cache';
const FAST = { epochs: 30, augment: false, workers: 0 };

describe('the model learns: retrain → gate → publish / reject → rollback', () => {
  let t: TestApp;
  let admin: string;
  let specialist: string;
  let agronomist: string;
  const versions: string[] = [];

  const call = (method: 'GET' | 'POST', url: string, cookie?: string) =>
    t.app.inject({ method, url, headers: cookie ? { cookie } : {} });
  const manifestVersion = async () =>
    ((await call('GET', '/api/model/manifest')).json() as ModelManifest).version;
  const listModels = async () =>
    ((await call('GET', '/api/models', specialist)).json() as ModelVersionList).items;

  const submitAndValidate = (slug: string, files: string[]) =>
    submitAndValidateAs(t.app, { agronomist, specialist }, slug, files);

  beforeAll(async () => {
    t = await createTestApp(
      { DEMO_PASSWORD: PASSWORD, MODEL_CACHE_DIR: CACHE_DIR },
      { trainingOptions: FAST },
    );
    const bank = join(t.tmp, 'bank');
    await buildImageBank(bank, SLUGS, SEEDED_PER_CLASS);
    await seedLibrary(t.app.db, t.app.media, {
      imagebankDir: bank,
      factSheetsDir: join(t.tmp, 'none'),
    });
    await seedDemoUsers(t.app.services.auth, t.app.repos, PASSWORD);
    admin = await login(t.app, 'admin@demo.local', PASSWORD);
    specialist = await login(t.app, 'specialiste@demo.local', PASSWORD);
    agronomist = await login(t.app, 'agronome@demo.local', PASSWORD);
  });
  afterAll(() => t.close());

  it('validated submissions → a job → the first version is published and served', async () => {
    expectError(await call('GET', '/api/model/manifest'), 404, 'MODEL_NOT_AVAILABLE');
    for (const slug of SLUGS) {
      const files = await realImages(slug);
      await submitAndValidate(slug, files.slice(SEEDED_PER_CLASS, SEEDED_PER_CLASS + 3));
    }
    const queued = await t.app.repos.trainingRequests.list();
    expect(queued.filter((r) => r.status === 'queued')).toHaveLength(1);

    const run = await t.app.training.runner.runNext();
    expect(run).toMatchObject({ status: 'succeeded', error: null });
    const outcome = run?.outcome as TrainingOutcome;
    expect(outcome).toMatchObject({ published: true, images: 36, classes: 3 });
    expect(outcome.gate).toMatchObject({ passed: true, baselineVersion: null });
    versions.push(outcome.version as string);

    expect(await manifestVersion()).toBe(versions[0]);
    const [listed] = await listModels();
    expect(listed).toMatchObject({ version: versions[0], status: 'published', current: true });
    expect(listed?.metrics).toMatchObject({
      per_class: { weed_dandelion: { n: expect.any(Number) } },
    });
    const requests = await t.app.repos.trainingRequests.list();
    expect(requests[0]).toMatchObject({ status: 'succeeded', newImages: 9 });
    // Nothing left to do.
    expect(await t.app.training.runner.runNext()).toBeNull();
  });

  it('two runners race for the next job: it runs once, passes the gate, devices see the new version', async () => {
    for (const slug of SLUGS) {
      const files = await realImages(slug);
      await submitAndValidate(slug, files.slice(SEEDED_PER_CLASS + 3, SEEDED_PER_CLASS + 4));
    }
    // A second runner, as another API instance would have (own in-process flag, same database).
    const other = createTrainingRunner({
      db: t.app.db,
      media: t.app.media,
      modelDir: t.config.modelDir,
      backboneDir: t.config.backboneDir,
      cacheDir: CACHE_DIR,
      options: FAST,
      log: t.app.log,
    });
    const results = await Promise.all([t.app.training.runner.runNext(), other.runNext()]);
    const ran = results.filter((r) => r !== null);
    expect(ran).toHaveLength(1);
    expect(ran[0]).toMatchObject({ status: 'succeeded' });
    const outcome = ran[0]?.outcome as TrainingOutcome;
    expect(outcome.gate).toMatchObject({ passed: true, baselineVersion: versions[0] });
    expect(outcome.gate?.checks.filter((c) => c.metric === 'class_top1')).toHaveLength(3);
    // The served version was re-scored on the candidate's own test photos, not its old numbers.
    const n = outcome.gate?.samples?.candidate;
    expect(outcome.gate).toMatchObject({ basis: 'same-photos', samples: { baseline: n } });
    expect(outcome.gate?.note).toBe(`both versions scored on the same ${n} test photos`);
    versions.push(outcome.version as string);

    // The manifest moved: the PWA compares versions on sync and downloads the new one.
    expect(await manifestVersion()).toBe(versions[1]);
    // The old version's files stay served, immutable (devices mid-download or rolled back).
    const old = await call('GET', `/models/${versions[0]}/manifest.json`);
    expect(old.statusCode).toBe(200);
    expect(old.headers['cache-control']).toContain('immutable');
    expect((old.json() as { version: string }).version).toBe(versions[0]);
  });

  it('a candidate identical to the served version passes: both are scored on the same photos', async () => {
    // No new image: the retrain is deterministic (fixed seed, same samples), so the candidate is
    // the served model again, and the re-scored baseline must match it check for check.
    await t.app.repos.trainingRequests.enqueue('same data', { added: 0, removed: 0 }, null);
    const run = await t.app.training.runner.runNext();
    expect(run).toMatchObject({ status: 'succeeded' });
    const gate = (run?.outcome as TrainingOutcome).gate;
    expect(gate).toMatchObject({
      passed: true,
      basis: 'same-photos',
      baselineVersion: versions[1],
    });
    expect(gate?.samples?.candidate).toBeGreaterThan(0);
    expect(gate?.samples?.baseline).toBe(gate?.samples?.candidate);
    const recorded = (await listModels()).find((m) => m.version === versions[1])?.metrics as {
      n: number;
    };
    expect(gate?.samples?.candidate).toBe(recorded.n);
    for (const c of gate?.checks ?? []) {
      // The served head runs through TF.js in float32, the candidate's scoring in float64.
      if (c.metric === 'ece') expect(Math.abs(c.delta)).toBeLessThanOrEqual(0.001);
      else expect(c).toMatchObject({ delta: 0, ok: true });
    }
    versions[1] = (run?.outcome as TrainingOutcome).version as string;
  });

  it('falls back to recorded metrics when the served version ships another backbone', async () => {
    const dir = join(t.config.modelDir, versions[1]);
    const rows = [{ slug: SLUGS[0], embedding: new Float32Array(8) }];
    expect(await rescoreVersion(dir, 'another-backbone', rows)).toEqual({
      metrics: null,
      reason: 'the served version ships another backbone',
    });
  });

  it('a running job blocks another from starting (row claim), across runners', async () => {
    const repo = t.app.repos.trainingJobs;
    await t.app.db.query(
      `INSERT INTO training_requests (status, reason, started_at) VALUES ('running', 'other', now())`,
    );
    await t.app.repos.trainingRequests.enqueue('test', { added: 1, removed: 0 }, null);
    expect(await repo.claimExclusive()).toBeNull();
    await t.app.db.query(`UPDATE training_requests SET status = 'failed' WHERE reason = 'other'`);
    const claimed = await repo.claimExclusive();
    expect(claimed).not.toBeNull();
    expect(await repo.claimExclusive()).toBeNull();
    await repo.finish(claimed?.id as string, 'failed', null, 'test only');
  });

  it('the gate refuses a model trained on mislabelled images and says which classes dropped', async () => {
    // A curator mislabels a batch: the TRAINING-split photos of two classes swap labels (test
    // photos keep their true labels: the fixed split is what the gate measures on).
    const [a, b] = SLUGS;
    const rows = await t.app.db.query<{ id: string; media_key: string; class_slug: string }>(
      `SELECT id, media_key, class_slug FROM bank_images
        WHERE status = 'validated' AND class_slug IN ($1, $2)`,
      [a, b],
    );
    const swapped: string[] = [];
    for (const r of rows) {
      const file = join(CACHE_DIR, 'bank-images', r.media_key.slice(0, 2), `${r.media_key}.jpg`);
      const sha = createHash('sha256')
        .update(await readFile(file))
        .digest('hex');
      if (splitOf(sha) === 'train') swapped.push(r.id);
    }
    expect(swapped.length).toBeGreaterThan(6);
    const swap = `UPDATE bank_images SET class_slug = CASE class_slug WHEN $1 THEN $2 ELSE $1 END
                   WHERE id = ANY($3::uuid[])`;
    await t.app.db.query(swap, [a, b, swapped]);
    await t.app.repos.trainingRequests.enqueue(
      'mislabelled batch',
      { added: swapped.length, removed: 0 },
      null,
    );

    const run = await t.app.training.runner.runNext();
    await t.app.db.query(swap, [a, b, swapped]);
    expect(run).toMatchObject({ status: 'rejected' });
    const outcome = run?.outcome as TrainingOutcome;
    expect(outcome.published).toBe(false);
    expect(outcome.gate?.baselineVersion).toBe(versions[1]);
    const reasons = outcome.gate?.reasons.join('\n') ?? '';
    // With ~3 test photos per class, at least one of the swapped classes falls beyond one photo.
    expect(reasons).toMatch(new RegExp(`class (${a}|${b}) top-1 dropped from [0-9.]+ to [0-9.]+`));
    expect(reasons).not.toMatch(new RegExp(`class ${SLUGS[2]}`));
    const rejected = outcome.version as string;
    versions.push(rejected);

    // Current stays; the rejected version is kept on disk and listed with its report.
    expect(await manifestVersion()).toBe(versions[1]);
    expect((await stat(join(t.config.modelDir, rejected, 'manifest.json'))).isFile()).toBe(true);
    const listed = (await listModels()).find((m) => m.version === rejected);
    expect(listed).toMatchObject({ status: 'rejected', current: false, gate: { passed: false } });
    const request = await t.app.repos.trainingJobs.requestOutcome(run?.requestId as string);
    expect(request?.status).toBe('rejected');
    // The staff's list of requests shows it too (it answered 500 once a request was rejected).
    const list = await call('GET', '/api/training-requests', admin);
    expect(list.statusCode).toBe(200);
    const mine = (list.json() as TrainingRequestList).items.find((r) => r.id === run?.requestId);
    expect(mine?.status).toBe('rejected');
  });

  it('an admin rolls back to an earlier published version; others and rejected versions cannot', async () => {
    const [first, second, rejected] = versions;
    expectError(await call('POST', `/api/models/${first}/rollback`, specialist), 403, 'FORBIDDEN');
    expectError(await call('POST', `/api/models/${first}/rollback`), 401, 'UNAUTHENTICATED');
    expectError(
      await call('POST', `/api/models/${rejected}/rollback`, admin),
      409,
      'MODEL_VERSION_REJECTED',
    );
    expectError(await call('POST', '/api/models/nope-1/rollback', admin), 404, 'NOT_FOUND');
    expect(await manifestVersion()).toBe(second);

    expect((await call('POST', `/api/models/${first}/rollback`, admin)).statusCode).toBe(204);
    expect(await manifestVersion()).toBe(first);
    const current = (await listModels()).filter((m) => m.current).map((m) => m.version);
    expect(current).toEqual([first]);
  });
});
