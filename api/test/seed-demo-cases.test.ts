import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemoCases } from '../src/seed/seed-demo-cases';
import { planDemoHistory } from '../src/seed/seed-demo-history';
import { toPublicUser } from '../src/services/auth-service';
import { REAL_IMAGEBANK } from './helpers/image-bank';
import { createSeededTestApp } from './helpers/seeded-app';
import type { TestApp } from './helpers/test-app';

// Five diseases on four crops: one request per crop.
const SLUGS = [
  'potato_late_blight',
  'potato_early_blight',
  'tomato_late_blight',
  'corn_common_rust',
  'apple_scab',
];

/** A fresh app with the demo accounts and the real bank's photos of SLUGS, closed after `fn`. */
async function withDemoApp(
  env: Record<string, string>,
  fn: (t: TestApp) => Promise<void>,
): Promise<void> {
  const t = await createSeededTestApp({
    slugs: SLUGS,
    demoPassword: 'demo-password-123',
    env: { IMAGEBANK_DIR: REAL_IMAGEBANK, ...env },
  });
  try {
    await fn(t);
  } finally {
    await t.close();
  }
}

describe('demo requests in the lab queue', () => {
  let t: TestApp;
  beforeAll(async () => {
    // The demo photos are read from the bank the server is configured with.
    t = await createSeededTestApp({
      slugs: SLUGS,
      demoPassword: 'demo-password-123',
      env: { IMAGEBANK_DIR: REAL_IMAGEBANK },
    });
  });
  afterAll(() => t.close());

  it('fills an empty queue once, through the real upload path, dated back', async () => {
    expect(await seedDemoCases(t.app, 'v-test')).toEqual({ open: 4, answered: 0 });
    const specialist = await t.app.repos.users.findByEmail('specialiste@demo.local');
    if (!specialist) throw new Error('no demo specialist');
    const queue = await t.app.services.escalations.list(toPublicUser(specialist));
    expect(queue.items).toHaveLength(4);
    expect(new Set(queue.items.map((e) => e.crop)).size).toBe(4);
    for (const e of queue.items) {
      expect(e.status).toBe('received');
      expect(e.photos).toHaveLength(2);
      expect(e.prediction?.modelVersion).toBe('v-test');
      expect(SLUGS).toContain(e.prediction?.top[0]?.slug);
    }
    // A farm first: the week-old one, past the service commitment (2 business days).
    const ageHours = (e: { createdAt: string }) => (Date.now() - Date.parse(e.createdAt)) / 3.6e6;
    expect(queue.items[0]?.profileKind).toBe('producer');
    expect(ageHours(queue.items[0] ?? { createdAt: '' })).toBeGreaterThan(167);
    expect(queue.items[0]?.overdue).toBe(true);
    expect(queue.items.filter((e) => e.overdue)).toHaveLength(1);
    expect(Math.min(...queue.items.map(ageHours))).toBeGreaterThan(2.9);
    // The photos were stored like an upload: they open.
    const first = queue.items[0];
    if (!first) throw new Error('empty queue');
    const key = await t.app.services.escalations.photoKey(toPublicUser(specialist), first.id, 0);
    expect(await t.app.media.open(key, 'full')).not.toBeNull();

    // Never again once the database holds a case (a restart, or real requests).
    expect(await seedDemoCases(t.app, 'v-test')).toEqual({ open: 0, answered: 0 });
    expect((await t.app.services.escalations.list(toPublicUser(specialist))).items).toHaveLength(4);
  });
});

describe('demo requests under a strict rate limit', () => {
  it('creates what the limit allows and does not stop the start-up', async () => {
    await withDemoApp({ CASE_RATE_LIMIT_MAX: '1' }, async (t) => {
      // The producer's first is dated a week back (out of the 24 h window), so their second
      // passes and their third is refused; the agronomist's one passes.
      expect(await seedDemoCases(t.app, null)).toEqual({ open: 3, answered: 0 });
    });
  });
});

describe('demo requests on a database in use', () => {
  it('adds none once anyone has sent a request', async () => {
    await withDemoApp({}, async (t) => {
      const other = toPublicUser(
        await t.app.services.auth.createUser({
          email: 'real@example.com',
          password: 'a-real-password-123',
          role: 'producer',
          displayName: null,
          profileKind: 'producer',
          language: 'fr',
        }),
      );
      const photo = await readFile(join(REAL_IMAGEBANK, 'corn_common_rust', '001.jpg'));
      await t.app.services.escalations.create(other, {
        caseValue: { clientId: randomUUID(), crop: 'Maïs', description: 'Une vraie demande' },
        photos: [photo],
      });
      expect(await seedDemoCases(t.app, null, 10)).toEqual({ open: 0, answered: 0 });
    });
  });
});

describe('demo history for the admin indicators', () => {
  it('answers, rates and dates back past requests through the real services', async () => {
    await withDemoApp({}, async (t) => {
      const plan = planDemoHistory(await t.app.repos.library.listSummaries(), 16);
      expect(plan).toHaveLength(16);
      expect(await seedDemoCases(t.app, 'v-test', 16)).toEqual({ open: 4, answered: 16 });

      const ind = await t.app.services.indicators.get({});
      expect(ind.firstAnswer.answered).toBe(16);
      // Each case's response time is the planned one (not the seconds the seeding took).
      const hours = plan.map((c) => c.responseHours).sort((a, b) => a - b);
      const median = ((hours[7] ?? 0) + (hours[8] ?? 0)) / 2;
      expect(ind.firstAnswer.medianHours).toBeCloseTo(median, 1);
      const rated = plan.flatMap((c) => (c.score === null ? [] : [c.score]));
      expect(ind.satisfaction.n).toBe(rated.length);
      expect(ind.satisfaction.distribution[4]).toBe(rated.filter((s) => s === 5).length);
      const top1 = plan.filter((c) => c.prediction.top[0]?.slug === c.slug).length;
      expect(ind.agreement.total).toMatchObject({ n: 16, top1Agree: top1 });
      expect(top1).toBeLessThan(16);
      // One case in ten had a sample asked for (its first response), received and analysed.
      const samples = plan.filter((c) => c.sample);
      expect(samples).toHaveLength(2);
      expect(ind.samples).toEqual({ requested: 2, received: 2 });
      // The answers were read long ago: no unread notification for the demo clients.
      for (const email of ['producteur@demo.local', 'agronome@demo.local']) {
        const user = await t.app.repos.users.findByEmail(email);
        if (!user) throw new Error(`no ${email}`);
        expect(await t.app.repos.notifications.countUnread(user.id)).toBe(0);
      }
      // ... and read when they came, not at start-up.
      const [reads] = await t.app.db.query<{ n: string; stale: string }>(
        `SELECT COUNT(*) AS n,
                COUNT(*) FILTER (WHERE n.read_at IS NULL OR n.read_at < n.created_at
                                    OR n.read_at > now() - interval '2 days') AS stale
           FROM notifications n JOIN escalations e ON e.id = n.escalation_id
          WHERE e.status = 'answered'`,
      );
      expect(Number(reads?.n)).toBeGreaterThanOrEqual(16);
      expect(Number(reads?.stale)).toBe(0);
      // Only the four open requests wait in the queue.
      expect(ind.backlog.open).toBe(4);
      // Requests spread over the period's weeks, not all in the current one.
      expect(ind.weeks.filter((w) => w.escalated > 0).length).toBeGreaterThan(5);
      // The answers are dated back too: none newer than a week, none before its request.
      const rows = await t.app.db.query<{
        created_at: Date;
        answered_at: Date;
        sample_received_at: Date | null;
      }>(
        `SELECT created_at, answered_at, sample_received_at FROM escalations
          WHERE status = 'answered' ORDER BY created_at`,
      );
      expect(rows).toHaveLength(16);
      const hour = 3_600_000;
      for (const [i, r] of rows.entries()) {
        expect(Date.now() - r.answered_at.getTime()).toBeGreaterThan(2 * 86_400_000);
        const c = plan[i];
        if (!c) throw new Error('no plan for a seeded case');
        // Answered after the planned response time, plus the sample's trip and analysis.
        const hours = (r.answered_at.getTime() - r.created_at.getTime()) / hour;
        expect(hours).toBeCloseTo(c.responseHours + (c.sample ? 72 : 0), 1);
        if (c.sample) {
          const received = (r.sample_received_at?.getTime() ?? 0) - r.created_at.getTime();
          expect(received / hour).toBeCloseTo(c.responseHours + 48, 1);
        } else expect(r.sample_received_at).toBeNull();
      }
    });
  });
});
