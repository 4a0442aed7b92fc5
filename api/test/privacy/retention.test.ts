import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addWeeks, weekOf } from '../../src/lib/iso-week';
import { startRetentionSchedule } from '../../src/services/retention-schedule';
import { loadConfig } from '../../src/config';
import { createTestApp, type TestApp } from '../helpers/test-app';
import { register } from '../helpers/http';

describe('retention purge', () => {
  let t: TestApp;
  let userId: string;
  let caseId: string;
  const thisWeek = weekOf(new Date(), 'America/Toronto');
  const count = async (sql: string) =>
    (await t.app.db.one<{ n: number }>(`SELECT (${sql})::int AS n`)).n;

  beforeAll(async () => {
    t = await createTestApp({
      RETENTION_DEVICE_DETECTION_WEEKS: '4',
      RETENTION_ACCESS_LOG_DAYS: '30',
      RETENTION_CLOSED_CASE_CONTACT_DAYS: '90',
    });
    userId = (await register(t.app, 'keep@example.com')).id;
    caseId = (
      await t.app.db.one<{ id: string }>(
        `INSERT INTO escalations (client_id, user_id, crop, description, profile_kind)
         VALUES ($1, $2, 'Maïs', 'x', 'producer') RETURNING id`,
        [randomUUID(), userId],
      )
    ).id;
  });
  afterAll(() => t.close());

  async function seed() {
    const db = t.app.db;
    const device = (week: string) =>
      db.query(
        `INSERT INTO detections (client_id, user_id, source, class_slug, kind, crop, region_code,
                                 week_start, confidence, abstained, model_version)
         VALUES ($1, $2, 'device', 'corn_common_rust', 'disease', 'Maïs', '16', $3, 0.9, false, 'v')`,
        [randomUUID(), userId, week],
      );
    await device(addWeeks(thisWeek, -5)); // older than 4 weeks: purged
    await device(addWeeks(thisWeek, -4)); // exactly the limit: kept
    await device(thisWeek);
    // Confirmed detections are the lab's record: never purged by this setting.
    await db.query(
      `INSERT INTO detections (user_id, source, class_slug, kind, region_code, week_start)
       VALUES ($1, 'confirmed', 'corn_common_rust', 'disease', '16', $2)`,
      [userId, addWeeks(thisWeek, -50)],
    );
    for (const days of [31, 29]) {
      await db.query(
        `INSERT INTO location_access_log (escalation_id, viewer_id, viewer_role, at)
         VALUES ($1, $2, 'specialist', now() - make_interval(days => $3::int))`,
        [caseId, randomUUID(), days],
      );
    }
    await db.query(
      `INSERT INTO sessions (token_hash, user_id, expires_at) VALUES
         ($1, $3, now() - interval '1 minute'), ($2, $3, now() + interval '1 day')`,
      [randomUUID(), randomUUID(), userId],
    );
  }

  it('deletes expired sessions, old device detections and old access-log rows, nothing else', async () => {
    await seed();
    const sessionsBefore = await count('SELECT COUNT(*) FROM sessions');
    expect(await t.app.services.privacy.purge()).toEqual({
      sessions: 1,
      passwordResets: 0,
      deviceDetections: 1,
      accessLog: 1,
      closedCaseContacts: 0,
    });
    expect(await count(`SELECT COUNT(*) FROM detections WHERE source = 'device'`)).toBe(2);
    expect(
      await count(
        `SELECT COUNT(*) FROM detections WHERE source = 'device' AND week_start < '${addWeeks(thisWeek, -4)}'`,
      ),
    ).toBe(0);
    expect(await count(`SELECT COUNT(*) FROM detections WHERE source = 'confirmed'`)).toBe(1);
    expect(await count('SELECT COUNT(*) FROM location_access_log')).toBe(1);
    expect(
      await count(`SELECT COUNT(*) FROM location_access_log WHERE at < now() - interval '30 days'`),
    ).toBe(0);
    expect(await count('SELECT COUNT(*) FROM sessions')).toBe(sessionsBefore - 1);
    expect(await count('SELECT COUNT(*) FROM sessions WHERE expires_at <= now()')).toBe(0);
    // Idempotent.
    expect(await t.app.services.privacy.purge()).toEqual({
      sessions: 0,
      passwordResets: 0,
      deviceDetections: 0,
      accessLog: 0,
      closedCaseContacts: 0,
    });
  });

  it('erases the exact location and phone of cases closed, or idle, long enough ago, nothing else', async () => {
    const db = t.app.db;
    /** A case received `daysAgo` days ago whose last status change was to `status`, then. */
    const aCase = async (status: string, daysAgo: number, messageDaysAgo?: number) => {
      const { id } = await db.one<{ id: string }>(
        `INSERT INTO escalations (client_id, user_id, crop, description, profile_kind, status,
                                  location_lat, location_lon, location_accuracy_m, region_code,
                                  contact_preference, contact_phone, created_at)
         VALUES ($1, $2, 'Maïs', 'taches', 'producer', $3, 46.81, -71.22, 5, '03', 'phone',
                 '418 555-0199', now() - make_interval(days => $4::int) - interval '1 hour')
         RETURNING id`,
        [randomUUID(), userId, status, daysAgo],
      );
      if (status !== 'received')
        await db.query(
          `INSERT INTO escalation_status_history (escalation_id, from_status, to_status, at)
           VALUES ($1, 'received', $2, now() - make_interval(days => $3::int))`,
          [id, status, daysAgo],
        );
      if (messageDaysAgo !== undefined)
        await db.query(
          `INSERT INTO escalation_messages (escalation_id, author_id, body, created_at)
           VALUES ($1, $2, 'Ça revient', now() - make_interval(days => $3::int))`,
          [id, userId, messageDaysAgo],
        );
      return id;
    };
    const closedOld = await aCase('closed', 91);
    const closedRecent = await aCase('closed', 89);
    // Answered and never closed, as most are: idle for longer than the retention, it goes too.
    const answeredIdle = await aCase('answered', 91);
    const answeredRecent = await aCase('answered', 89);
    // An old answer, but the producer wrote back recently: still alive.
    const answeredTalking = await aCase('answered', 91, 10);
    // Never answered, abandoned for longer than the retention.
    const abandoned = await aCase('received', 91);
    const { closedCaseContacts } = await t.app.services.privacy.purge();
    expect(closedCaseContacts).toBe(3);
    const rows = await db.query<{ id: string; lat: number | null; phone: string | null }>(
      `SELECT id, location_lat AS lat, contact_phone AS phone FROM escalations
        WHERE id = ANY($1::uuid[])`,
      [[closedOld, closedRecent, answeredIdle, answeredRecent, answeredTalking, abandoned]],
    );
    const byId = new Map(rows.map((r) => [r.id, [r.lat, r.phone]]));
    for (const gone of [closedOld, answeredIdle, abandoned]) {
      expect(byId.get(gone)).toEqual([null, null]);
    }
    for (const kept of [closedRecent, answeredRecent, answeredTalking]) {
      expect(byId.get(kept)).toEqual([46.81, '418 555-0199']);
    }
    // The case itself (crop, region, description) stays.
    expect(
      await count(
        `SELECT COUNT(*) FROM escalations WHERE id = '${closedOld}' AND region_code = '03'`,
      ),
    ).toBe(1);
  });

  it('the schedule purges at once and then periodically, until stopped', async () => {
    await seed();
    const stop = startRetentionSchedule(t.app, 100);
    try {
      const end = Date.now() + 10_000;
      while ((await count('SELECT COUNT(*) FROM sessions WHERE expires_at <= now()')) > 0) {
        if (Date.now() > end) throw new Error('the schedule never purged');
        await new Promise((r) => setTimeout(r, 50));
      }
      // Periodic: a newly expired session goes too.
      await t.app.db.query(
        `INSERT INTO sessions (token_hash, user_id, expires_at) VALUES ($1, $2, now() - interval '1 second')`,
        [randomUUID(), userId],
      );
      while ((await count('SELECT COUNT(*) FROM sessions WHERE expires_at <= now()')) > 0) {
        if (Date.now() > end) throw new Error('the schedule did not run again');
        await new Promise((r) => setTimeout(r, 50));
      }
    } finally {
      stop();
    }
  });

  it('the privacy notice is told the periods this server purges with, without an account', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/public/privacy-terms' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      retention: { closedCaseContactDays: 90, deviceDetectionWeeks: 4, accessLogDays: 30 },
    });
  });

  it('retention settings are validated and default to 156 weeks, 730 and 365 days', () => {
    expect(loadConfig({}).retention).toEqual({
      deviceDetectionWeeks: 156,
      accessLogDays: 730,
      closedCaseContactDays: 365,
    });
    expect(() => loadConfig({ RETENTION_ACCESS_LOG_DAYS: '0' })).toThrow(
      /RETENTION_ACCESS_LOG_DAYS/,
    );
    expect(() => loadConfig({ RETENTION_DEVICE_DETECTION_WEEKS: 'x' })).toThrow(
      /RETENTION_DEVICE_DETECTION_WEEKS/,
    );
    expect(() => loadConfig({ SMTP_URL: 'http://example.com' })).toThrow(/SMTP_URL/);
  });
});
