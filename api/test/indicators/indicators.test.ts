import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServiceIndicators } from '../../src/contract/surveillance';
import { addWeeks, weekOf } from '../../src/lib/iso-week';
import { expectError } from '../helpers/http';
import { createPrivacyWorld, type PrivacyWorld } from '../privacy/privacy-world';

/**
 * A constructed history (America/Toronto, UTC-5 in January; commitment 2 business days) whose
 * indicators are known by hand. Period: the weeks of 2026-01-05, 01-12 and 01-19.
 */
interface CaseSpec {
  name: string;
  created: string;
  status: string;
  /** [to_status, at] in order; 'received' at creation is added. */
  history?: [string, string][];
  rating?: [number, string];
  answer?: { slug: string; top1: boolean; top3: boolean };
}

const CASES: CaseSpec[] = [
  // Week 1. A: answered after 4 h.
  {
    name: 'A',
    created: '2026-01-05T14:00:00Z',
    status: 'answered',
    history: [
      ['in_review', '2026-01-05T15:00:00Z'],
      ['answered', '2026-01-05T18:00:00Z'],
    ],
    rating: [5, '2026-01-06T12:00:00Z'],
    answer: { slug: 'potato_late_blight', top1: true, top3: true },
  },
  // B: sample requested after 24 h (the first response), received, then answered.
  {
    name: 'B',
    created: '2026-01-06T14:00:00Z',
    status: 'answered',
    history: [
      ['sample_requested', '2026-01-07T14:00:00Z'],
      ['sample_received', '2026-01-09T14:00:00Z'],
      ['answered', '2026-01-12T14:00:00Z'],
    ],
    rating: [4, '2026-01-13T12:00:00Z'],
  },
  // C: Friday 15:00 local, answered Tuesday 14:00 local = 95 h, within 2 business days.
  {
    name: 'C',
    created: '2026-01-09T20:00:00Z',
    status: 'answered',
    history: [['answered', '2026-01-13T19:00:00Z']],
    rating: [4, '2026-01-14T12:00:00Z'],
  },
  // Sunday 23:00 local (Monday 04:00 UTC): the week BEFORE the period; not counted anywhere.
  {
    name: 'I',
    created: '2026-01-05T04:00:00Z',
    status: 'closed',
    history: [
      ['answered', '2026-01-05T06:00:00Z'],
      ['closed', '2026-01-06T06:00:00Z'],
    ],
  },
  // Week 2. D: 72 h, one day late.
  {
    name: 'D',
    created: '2026-01-13T14:00:00Z',
    status: 'answered',
    history: [['answered', '2026-01-16T14:00:00Z']],
    rating: [1, '2026-01-20T12:00:00Z'],
    answer: { slug: 'potato_early_blight', top1: false, top3: true },
  },
  // Week 3. E: 2 h (rated after the period).
  {
    name: 'E',
    created: '2026-01-20T14:00:00Z',
    status: 'closed',
    history: [
      ['answered', '2026-01-20T16:00:00Z'],
      ['closed', '2026-01-21T16:00:00Z'],
    ],
    rating: [2, '2026-02-10T12:00:00Z'],
  },
  // F: never answered (open, overdue).
  { name: 'F', created: '2026-01-21T14:00:00Z', status: 'received' },
  // G: sample requested after 6 h; waiting for the sample (open, nothing owed: not overdue).
  {
    name: 'G',
    created: '2026-01-22T14:00:00Z',
    status: 'sample_requested',
    history: [['sample_requested', '2026-01-22T20:00:00Z']],
  },
  // Sunday 23:00 local = Monday 04:00 UTC after the period: still week 3 locally. Open, overdue.
  { name: 'J', created: '2026-01-26T04:00:00Z', status: 'received' },
  // Before the period: only in the backlog (in review, overdue); its sample request is outside.
  {
    name: 'H',
    created: '2025-12-29T14:00:00Z',
    status: 'in_review',
    history: [['in_review', '2025-12-31T14:00:00Z']],
  },
];

describe('GET /api/indicators', () => {
  let w: PrivacyWorld;
  const get = async (query = '', cookie?: string) =>
    w.call('GET', `/api/indicators${query}`, cookie ?? w.as.admin);

  beforeAll(async () => {
    w = await createPrivacyWorld();
    const db = w.t.app.db;
    for (const c of CASES) {
      const { id } = await db.one<{ id: string }>(
        `INSERT INTO escalations (client_id, user_id, status, crop, description, profile_kind, created_at)
         VALUES ($1, $2, $3, 'Pomme de terre', $4, 'producer', $5) RETURNING id`,
        [randomUUID(), w.ids.producer, c.status, `case ${c.name}`, c.created],
      );
      let from: string | null = null;
      for (const [to, at] of [['received', c.created], ...(c.history ?? [])] as [
        string,
        string,
      ][]) {
        await db.query(
          `INSERT INTO escalation_status_history (escalation_id, from_status, to_status, actor_id, at)
           VALUES ($1, $2, $3, $4, $5)`,
          [id, from, to, w.ids.specialist, at],
        );
        from = to;
      }
      if (c.rating) {
        await db.query(
          `INSERT INTO escalation_ratings (escalation_id, user_id, score, created_at)
           VALUES ($1, $2, $3, $4)`,
          [id, w.ids.producer, c.rating[0], c.rating[1]],
        );
      }
      if (c.answer) {
        await db.query(
          `INSERT INTO escalation_answers
             (escalation_id, specialist_id, diagnosis_slug, message, top1_agree, top3_agree)
           VALUES ($1, $2, $3, 'Réponse', $4, $5)`,
          [id, w.ids.specialist, c.answer.slug, c.answer.top1, c.answer.top3],
        );
      }
    }
    // A case received just now: open, not overdue yet.
    await w.newCase(w.as.other);
    // On-device reports per week (migration 004's counter), one week outside the period.
    await db.query(
      `INSERT INTO detection_weekly_reports (week_start, reports, abstained)
       VALUES ('2026-01-05', 10, 2), ('2026-01-19', 5, 0), ('2026-01-26', 7, 1)`,
    );
  });
  afterAll(() => w.close());

  it('computes every indicator exactly on the constructed period', async () => {
    const res = await get('?from=2026-01-05&to=2026-01-19');
    expect(res.statusCode, res.body).toBe(200);
    const ind = res.json() as ServiceIndicators;
    expect(ind.from).toBe('2026-01-05');
    expect(ind.to).toBe('2026-01-19');
    expect(ind.commitmentBusinessDays).toBe(2);
    // The closed weekdays ahead (from today: the calendar itself is tested with fixed dates).
    const today = Date.now();
    for (const day of ind.upcomingClosures) {
      const t = Date.parse(`${day}T12:00:00Z`);
      expect([0, 6]).not.toContain(new Date(t).getUTCDay());
      expect(t).toBeGreaterThan(today - 2 * 86_400_000);
      expect(t).toBeLessThan(today + 61 * 86_400_000);
    }
    expect([...ind.upcomingClosures].sort()).toEqual(ind.upcomingClosures);
    expect(ind.weeks).toEqual([
      { week: '2026-01-05', onDevice: 10, escalated: 3 },
      { week: '2026-01-12', onDevice: 0, escalated: 1 },
      { week: '2026-01-19', onDevice: 5, escalated: 4 },
    ]);
    // First responses (h): A 4, B 24, C 95, D 72, E 2, G 6 → sorted 2 4 6 24 72 95.
    expect(ind.firstAnswer.answered).toBe(6);
    expect(ind.firstAnswer.medianHours).toBeCloseTo(15, 9); // (6 + 24) / 2
    expect(ind.firstAnswer.p90Hours).toBeCloseTo(83.5, 9); // 72 + 0.5 × (95 − 72)
    // Judged: the 6 responded, and F and J, never answered and past their deadline. D was late.
    expect(ind.firstAnswer.judged).toBe(8);
    expect(ind.firstAnswer.withinCommitment).toBeCloseTo(5 / 8, 9);
    // Open now: F, G, J, H and the fresh case; overdue: F, J, H.
    expect(ind.backlog).toEqual({ open: 5, overdue: 3 });
    expect(ind.satisfaction).toEqual({ n: 4, mean: 3.5, distribution: [1, 0, 0, 2, 1] });
    expect(ind.samples).toEqual({ requested: 2, received: 1 });
    expect(ind.agreement.total).toEqual({ n: 2, abstained: 0, top1Agree: 1, top3Agree: 2 });
    // The same numbers as the lab's own agreement screen.
    const lab = await w.call('GET', '/api/stats/agreement', w.as.specialist);
    expect(ind.agreement).toEqual(lab.json());
  });

  it('agreement and the commitment share follow the period like every other figure', async () => {
    // Week 2 alone: D (answered one day late; the model's first suggestion was not the lab's).
    const ind = (await get('?from=2026-01-12&to=2026-01-12')).json() as ServiceIndicators;
    expect(ind.agreement.total).toEqual({ n: 1, abstained: 0, top1Agree: 0, top3Agree: 1 });
    expect(ind.agreement.classes.map((c) => c.slug)).toEqual(['potato_early_blight']);
    expect(ind.firstAnswer).toMatchObject({ answered: 1, judged: 1, withinCommitment: 0 });
  });

  it('exports the period week by week as CSV, adding up to the period’s figures', async () => {
    const res = await get('/weeks.csv?from=2026-01-05&to=2026-01-19');
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toBe(
      'attachment; filename="indicateurs-2026-01-05-2026-01-19.csv"',
    );
    expect(res.headers['cache-control']).toBe('private, no-store');
    // Cases by the week they came in: A B C (4, 24, 95 h, all in time); D (72 h, late); E G
    // answered (2, 6 h), F and J never, past their deadline. Ratings by the week they were given.
    expect(res.body.split('\r\n')).toEqual([
      'week,received,onDeviceReports,firstResponses,medianFirstResponseHours,judged,withinCommitment,rating1,rating2,rating3,rating4,rating5',
      '2026-01-05,3,10,3,24,3,3,0,0,0,0,1',
      '2026-01-12,1,0,1,72,1,0,0,0,0,2,0',
      '2026-01-19,4,5,2,4,4,2,1,0,0,0,0',
      '',
    ]);
  });

  it('the export keeps an empty week’s median empty and checks the period', async () => {
    const res = await get('/weeks.csv?from=2025-06-02&to=2025-06-02');
    expect(res.statusCode, res.body).toBe(200);
    expect(res.body.split('\r\n')[1]).toBe('2025-06-02,0,0,0,,0,0,0,0,0,0,0');
    expectError(await get('/weeks.csv?from=2026-01-06'), 400, 'INVALID_WEEK');
    expectError(await get('/weeks.csv?from=2026-01-19&to=2026-01-05'), 400, 'INVALID_PERIOD');
    expectError(await get('/weeks.csv', w.as.specialist), 403, 'FORBIDDEN');
  });

  it('a period with no answered case gives nulls, not zeros', async () => {
    const ind = (await get('?from=2025-06-02&to=2025-06-09')).json() as ServiceIndicators;
    expect(ind.weeks).toEqual([
      { week: '2025-06-02', onDevice: 0, escalated: 0 },
      { week: '2025-06-09', onDevice: 0, escalated: 0 },
    ]);
    expect(ind.firstAnswer).toEqual({
      answered: 0,
      medianHours: null,
      p90Hours: null,
      judged: 0,
      withinCommitment: null,
    });
    expect(ind.satisfaction).toEqual({ n: 0, mean: null, distribution: [0, 0, 0, 0, 0] });
  });

  it('defaults to the last 12 weeks, the current one included', async () => {
    const ind = (await get()).json() as ServiceIndicators;
    const thisWeek = weekOf(new Date(), 'America/Toronto');
    expect(ind.to).toBe(thisWeek);
    expect(ind.from).toBe(addWeeks(thisWeek, -11));
    expect(ind.weeks).toHaveLength(12);
    // The case received just now is in the last week.
    expect(ind.weeks.at(-1)!.escalated).toBe(1);
  });

  it('is for admins only', async () => {
    expectError(await get('', w.as.specialist), 403, 'FORBIDDEN');
    expectError(await get('', w.as.producer), 403, 'FORBIDDEN');
    expectError(await w.call('GET', '/api/indicators'), 401, 'UNAUTHENTICATED');
  });

  it('refuses bad periods with a 400 and a code', async () => {
    expectError(await get('?from=2026-01-06'), 400, 'INVALID_WEEK'); // a Tuesday
    expectError(await get('?from=2026-02-30'), 400, 'INVALID_WEEK');
    expectError(await get('?from=2026-01-19&to=2026-01-05'), 400, 'INVALID_PERIOD');
    expectError(await get('?from=2020-01-06&to=2026-01-05'), 400, 'INVALID_PERIOD');
    expectError(await get('?from=yesterday'), 400, 'VALIDATION_ERROR');
    expectError(await get('?week=2026-01-05'), 400, 'UNKNOWN_QUERY_PARAMETER');
  });
});
