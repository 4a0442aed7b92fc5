import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  ConsentsView,
  DetectionBatchResult,
  SurveillanceMap,
} from '../../src/contract/surveillance';
import { DEVICE_REPORTS_PER_DAY, SURVEILLANCE_LIMITS } from '../../src/contract/surveillance';
import { addWeeks } from '../../src/lib/iso-week';
import { DETECTION_BATCHES_PER_MINUTE } from '../../src/routes/detections';
import { expectError } from '../helpers/http';
import { createSurveillanceWorld, report, thisWeek, type SurveillanceWorld } from './world';

describe('POST /api/detections and consents', () => {
  let w: SurveillanceWorld;
  beforeAll(async () => {
    w = await createSurveillanceWorld();
  });
  afterAll(() => w.close());

  const post = (cookie: string | undefined, items: unknown[]) =>
    w.call('POST', '/api/detections', cookie, { items });
  const regionCounts = async (q = '') => {
    const res = await w.call('GET', `/api/surveillance/map?level=region${q}`, w.as.specialist);
    expect(res.statusCode).toBe(200);
    return Object.fromEntries(
      (res.json() as SurveillanceMap).cells.map((c) => [c.code, c.device + c.confirmed]),
    );
  };

  it('consents start off, every change is recorded, a no-op change records nothing', async () => {
    const start = await w.call('GET', '/api/privacy/consents', w.as.other);
    expect(start.json()).toEqual({ location: false, shareDetections: false, history: [] });
    const put = (body: unknown) => w.call('PUT', '/api/privacy/consents', w.as.other, body);
    expect((await put({ location: true, shareDetections: false })).statusCode).toBe(200);
    expect((await put({ location: true, shareDetections: true })).statusCode).toBe(200);
    const same = await put({ location: true, shareDetections: true });
    const view = same.json() as ConsentsView;
    expect(view).toMatchObject({ location: true, shareDetections: true });
    // Most recent first; the repeated PUT added nothing.
    expect(view.history.map((h) => [h.consent, h.granted])).toEqual([
      ['shareDetections', true],
      ['location', true],
    ]);
    const off = (await put({ location: false, shareDetections: true })).json() as ConsentsView;
    expect(off.history[0]).toMatchObject({ consent: 'location', granted: false });
    expect(off.history).toHaveLength(3);
    expectError(await put({ location: true }), 400, 'VALIDATION_ERROR');
    expectError(await w.call('GET', '/api/privacy/consents'), 401, 'UNAUTHENTICATED');
    // Someone else's consents are untouched.
    const producer = await w.call('GET', '/api/privacy/consents', w.as.producer);
    expect(producer.json()).toMatchObject({ shareDetections: false, history: [] });
  });

  it('refuses reports without a session (401) or without the sharing consent (403)', async () => {
    expectError(await post(undefined, [report()]), 401, 'UNAUTHENTICATED');
    const res = await post(w.as.producer, [report()]);
    expectError(res, 403, 'CONSENT_REQUIRED');
    expect((res.json() as { error: { message: string } }).error.message).toMatch(/partage/);
  });

  it('counts a report once, however often it is resent, and shows it at once on the map', async () => {
    await w.share(w.as.producer);
    const before = await regionCounts();
    const items = [report({ regionCode: '05' }), report({ regionCode: '05', mrcCode: '45' })];
    const first = await post(w.as.producer, items);
    expect(first.statusCode).toBe(200);
    expect(first.json()).toEqual({ accepted: 2, duplicates: 0 } satisfies DetectionBatchResult);
    const again = await post(w.as.producer, [...items, report({ regionCode: '05' })]);
    expect(again.json()).toEqual({ accepted: 1, duplicates: 2 });
    // The same clientId twice in one batch is also one detection.
    const twin = report({ regionCode: '05' });
    expect((await post(w.as.producer, [twin, twin])).json()).toEqual({
      accepted: 1,
      duplicates: 1,
    });
    const after = await regionCounts();
    expect((after['05'] ?? 0) - (before['05'] ?? 0)).toBe(4);
    const rows = await w.t.app.db.query<{ n: string }>(
      "SELECT count(*) AS n FROM detections WHERE region_code = '05'",
    );
    expect(Number(rows[0]?.n)).toBe(4);
  });

  it('a clientId is per person: another user may reuse it without colliding', async () => {
    await w.share(w.as.other);
    const item = report({ regionCode: '07' });
    expect((await post(w.as.producer, [item])).json()).toEqual({ accepted: 1, duplicates: 0 });
    expect((await post(w.as.other, [item])).json()).toEqual({ accepted: 1, duplicates: 0 });
  });

  it('stores one name per crop: the classifier id or any spelling becomes the library name', async () => {
    const items = [
      report({ slug: 'potato_late_blight', crop: 'potato' }),
      report({ slug: 'potato_late_blight', crop: '  POMME   de terre ' }),
      report({ slug: 'potato_late_blight', crop: 'Patate douce' }),
    ];
    expect((await post(w.as.producer, items)).statusCode).toBe(200);
    const rows = await w.t.app.db.query<{ crop: string }>(
      'SELECT crop FROM detections WHERE client_id = ANY($1::uuid[]) ORDER BY crop',
      [items.map((i) => i.clientId)],
    );
    // Known crops in any language or case share one name; an unknown crop is kept as typed.
    expect(rows.map((r) => r.crop)).toEqual(['Patate douce', 'Pomme de terre', 'Pomme de terre']);
  });

  it('takes the kind and crop from the library; derives the region from the MRC', async () => {
    const item = report({ slug: 'insect_armyworm', crop: null, regionCode: null, mrcCode: '45' });
    expect((await post(w.as.producer, [item])).statusCode).toBe(200);
    const row = await w.t.app.db.one<Record<string, unknown>>(
      'SELECT kind, crop, region_code, mrc_code, source FROM detections WHERE client_id = $1',
      [item.clientId],
    );
    expect(row).toEqual({
      kind: 'insect',
      crop: 'Maïs, céréales et graminées fourragères',
      region_code: '05',
      mrc_code: '45',
      source: 'device',
    });
    // A kind sent by the client is not part of the contract at all.
    expectError(
      await post(w.as.producer, [{ ...report(), kind: 'weed' }]),
      400,
      'VALIDATION_ERROR',
    );
  });

  it('stores abstentions but never counts them as detections', async () => {
    const before = await regionCounts();
    const items = [
      report({ regionCode: '10', slug: null, abstained: true, confidence: 0.3 }),
      report({ regionCode: '10', abstained: true, confidence: 0.4 }),
    ];
    expect((await post(w.as.producer, items)).json()).toEqual({ accepted: 2, duplicates: 0 });
    expect((await regionCounts())['10'] ?? 0).toBe(before['10'] ?? 0);
    const weekly = await w.t.app.services.detections.weeklyReports(thisWeek(), thisWeek());
    const raw = await w.t.app.db.one<{ reports: string; abstained: string }>(
      `SELECT count(*) AS reports, count(*) FILTER (WHERE abstained) AS abstained
         FROM detections WHERE source = 'device' AND week_start = $1::date`,
      [thisWeek()],
    );
    expect(weekly).toEqual([
      { week: thisWeek(), reports: Number(raw.reports), abstained: Number(raw.abstained) },
    ]);
    expect(Number(raw.abstained)).toBe(2);
  });

  it('refuses bad reports with a 4xx and writes nothing of the batch', async () => {
    const count = async () =>
      Number((await w.t.app.db.one<{ n: string }>('SELECT count(*) AS n FROM detections')).n);
    const before = await count();
    const cases: [unknown, number, string][] = [
      [report({ slug: 'no_such_class' }), 422, 'UNKNOWN_SLUG'],
      [report({ slug: null, abstained: false }), 400, 'INVALID_DETECTION'],
      [report({ mrcCode: '999' }), 422, 'UNKNOWN_MRC'],
      [report({ regionCode: '16', mrcCode: '45' }), 422, 'MRC_REGION_MISMATCH'],
      // Two weeks on either side of the window: at the week's edges the window reaches one week
      // further for the time zones on either side of the date line (see reportable-weeks.test).
      [report({ week: addWeeks(thisWeek(), 2) }), 400, 'INVALID_WEEK'],
      [
        report({ week: addWeeks(thisWeek(), -SURVEILLANCE_LIMITS.maxWeeks - 2) }),
        400,
        'INVALID_WEEK',
      ],
      [
        report({
          week: addWeeks(thisWeek(), -1).replace(/\d\d$/, (d) => `0${Number(d) + 1}`.slice(-2)),
        }),
        400,
        'INVALID_WEEK',
      ],
      [report({ week: '2026-02-30' }), 400, 'INVALID_WEEK'],
      [report({ regionCode: '18' }), 400, 'VALIDATION_ERROR'],
      [report({ confidence: 1.5 }), 400, 'VALIDATION_ERROR'],
      [{ ...report(), lat: 45.5 }, 400, 'VALIDATION_ERROR'],
    ];
    for (const [bad, status, code] of cases) {
      // The bad item comes second: the good first one must not be written either.
      const res = await post(w.as.producer, [report(), bad]);
      expectError(res, status, code);
    }
    expectError(await post(w.as.producer, []), 400, 'VALIDATION_ERROR');
    expectError(
      await post(
        w.as.producer,
        Array.from({ length: 201 }, () => report()),
      ),
      400,
      'VALIDATION_ERROR',
    );
    expect(await count()).toBe(before);
    // The oldest accepted week is exactly maxWeeks back.
    const oldest = report({ week: addWeeks(thisWeek(), -SURVEILLANCE_LIMITS.maxWeeks) });
    expect((await post(w.as.producer, [oldest])).statusCode).toBe(200);
  });

  it('withdrawing the consent stops the reports', async () => {
    const off = await w.call('PUT', '/api/privacy/consents', w.as.other, {
      location: false,
      shareDetections: false,
    });
    expect(off.statusCode).toBe(200);
    expectError(await post(w.as.other, [report()]), 403, 'CONSENT_REQUIRED');
  });

  it(`takes at most ${DEVICE_REPORTS_PER_DAY} reports a day from one account; the rest waits, nothing half-written`, async () => {
    await w.share(w.as.agronomist);
    const batch = (n: number) => Array.from({ length: n }, () => report({ regionCode: '12' }));
    const before = await regionCounts();
    const first = batch(200);
    expect((await post(w.as.agronomist, first)).json()).toEqual({ accepted: 200, duplicates: 0 });
    expect((await post(w.as.agronomist, batch(200))).statusCode).toBe(200);
    // 600 > 500: the whole batch is refused, in the reader's language, and nothing of it kept.
    const over = await post(w.as.agronomist, batch(200));
    expectError(over, 429, 'DETECTION_QUOTA');
    expect((over.json() as { error: { message: string } }).error.message).toBe(
      'Plus de 500 diagnostics partagés en 24 heures depuis ce compte\u00a0: les suivants restent sur l’appareil et partiront plus tard, sans rien perdre.',
    );
    expect(((await regionCounts())['12'] ?? 0) - (before['12'] ?? 0)).toBe(400);
    // A batch resent after a lost answer is not new: it costs nothing.
    expect((await post(w.as.agronomist, first)).json()).toEqual({ accepted: 0, duplicates: 200 });
    expect((await post(w.as.agronomist, batch(100))).statusCode).toBe(200);
    expectError(await post(w.as.agronomist, batch(1)), 429, 'DETECTION_QUOTA');
    expect(((await regionCounts())['12'] ?? 0) - (before['12'] ?? 0)).toBe(500);
    // Another account is not held back by this one.
    expect((await post(w.as.producer, [report()])).statusCode).toBe(200);
    // Yesterday's reports no longer count.
    await w.t.app.db.query(
      "UPDATE detections SET created_at = now() - interval '25 hours' WHERE source = 'device'",
    );
    expect((await post(w.as.agronomist, batch(1))).statusCode).toBe(200);
  });

  it(`limits each person to ${DETECTION_BATCHES_PER_MINUTE} batches a minute`, async () => {
    const codes: number[] = [];
    for (let i = 0; i <= DETECTION_BATCHES_PER_MINUTE + 1; i += 1) {
      codes.push((await post(w.as.admin, [report({ clientId: randomUUID() })])).statusCode);
    }
    // The admin has no consent: 403s until the limit, then 429.
    expect(codes.slice(0, DETECTION_BATCHES_PER_MINUTE).every((c) => c === 403)).toBe(true);
    const last = await post(w.as.admin, [report()]);
    expectError(last, 429, 'RATE_LIMITED');
    // Someone else is not affected.
    expect((await post(w.as.producer, [report()])).statusCode).toBe(200);
  });
});
