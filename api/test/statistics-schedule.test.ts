import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStatisticsSchedule } from '../src/services/statistics-schedule';
import { createTestApp, type TestApp } from './helpers/test-app';
import { register } from './helpers/http';

const onPostgres = Boolean(process.env.DATABASE_URL);

describe('planner statistics on PGlite (no autovacuum there)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  /** Columns of `table` that have planner statistics. */
  const statsColumns = async (table: string) =>
    (
      await t.app.db.one<{ n: number }>(
        `SELECT COUNT(*)::int AS n FROM pg_stats WHERE schemaname = 'public' AND tablename = $1`,
        [table],
      )
    ).n;

  async function waitFor(what: string, done: () => Promise<boolean>) {
    const end = Date.now() + 10_000;
    while (!(await done())) {
      if (Date.now() > end) throw new Error(`the schedule never ${what}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  it.skipIf(onPostgres)('analyses at once, then again periodically, until stopped', async () => {
    const userId = (await register(t.app, 'stats@example.com')).id;
    expect(await statsColumns('users')).toBe(0);
    const stop = startStatisticsSchedule(t.app, 100);
    try {
      await waitFor('analysed', async () => (await statsColumns('users')) > 0);
      // A table filled after the first run gets its statistics at a later one.
      expect(await statsColumns('escalations')).toBe(0);
      await t.app.db.query(
        `INSERT INTO escalations (client_id, user_id, crop, description, profile_kind)
         VALUES ($1, $2, 'Maïs', 'x', 'producer')`,
        [randomUUID(), userId],
      );
      await waitFor('ran again', async () => (await statsColumns('escalations')) > 0);
    } finally {
      stop();
    }
  });
});
