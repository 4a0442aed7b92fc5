// A server restarted mid-training left its request 'running': it blocked every later retraining
// for two hours, silently, and its photos never reached the model.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/test-app';

describe('an interrupted retraining request', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  const statuses = async () =>
    (
      await t.app.db.query<{ status: string; new_images: number; error: string | null }>(
        'SELECT status, new_images, error FROM training_requests ORDER BY created_at',
      )
    ).map((r) => [r.status, r.new_images, r.error]);

  it('is failed after five silent minutes, its photos requeued, and the next one may start', async () => {
    const jobs = t.app.repos.trainingJobs;
    const requests = t.app.repos.trainingRequests;
    await requests.enqueue('bank images validated (apple_scab)', { added: 2, removed: 0 }, null);
    const running = await jobs.claimExclusive();
    expect(running).toMatchObject({ newImages: 2 });
    // Photos validated meanwhile wait in a new queued request, behind the running one.
    await requests.enqueue(
      'bank images validated (potato_late_blight)',
      { added: 3, removed: 0 },
      null,
    );
    expect(await jobs.claimExclusive()).toBeNull();

    // Alive: its heartbeat keeps it so, however long ago it started.
    await t.app.db.query(
      `UPDATE training_requests SET started_at = now() - interval '3 hours',
              updated_at = now() - interval '4 minutes' WHERE status = 'running'`,
    );
    await jobs.heartbeat(running?.id ?? '');
    expect(await jobs.recoverStale()).toBe(0);
    expect(await jobs.claimExclusive()).toBeNull();

    // The server stopped: no sign of life for six minutes.
    await t.app.db.query(
      `UPDATE training_requests SET updated_at = now() - interval '6 minutes'
        WHERE status = 'running'`,
    );
    expect(await jobs.recoverStale()).toBe(1);
    expect(await statuses()).toEqual([
      ['failed', 2, 'interrupted: no sign of life for 5 minutes'],
      ['queued', 5, null],
    ]);
    // Idempotent, and the queued request (with every photo) starts now.
    expect(await jobs.recoverStale()).toBe(0);
    expect(await jobs.claimExclusive()).toMatchObject({ newImages: 5 });
  });

  it('with nothing queued, the interrupted photos get a request of their own', async () => {
    const jobs = t.app.repos.trainingJobs;
    await t.app.db.query(
      `UPDATE training_requests SET updated_at = now() - interval '6 minutes'
        WHERE status = 'running'`,
    );
    expect(await jobs.recoverStale()).toBe(1);
    const queued = await t.app.db.query<{ new_images: number; reason: string }>(
      `SELECT new_images, reason FROM training_requests WHERE status = 'queued'`,
    );
    expect(queued).toEqual([{ new_images: 5, reason: 'retry after an interrupted training' }]);
  });
});
