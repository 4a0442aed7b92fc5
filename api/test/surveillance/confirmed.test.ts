import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Escalation } from '../../src/contract/escalation';
import type { PublicDetections, SurveillanceTable } from '../../src/contract/surveillance';
import { PUBLIC_MIN_CELL_COUNT } from '../../src/contract/surveillance';
import { weekOf } from '../../src/lib/iso-week';
import { createRepositories } from '../../src/repositories';
import { jpeg, login, multipart, register } from '../helpers/http';
import { createSurveillanceWorld, type SurveillanceWorld } from './world';

const SHERBROOKE = { lat: 45.4, lon: -71.89, accuracyM: 20 };

describe('confirmed detections from specialists’ answers', () => {
  let w: SurveillanceWorld;
  beforeAll(async () => {
    w = await createSurveillanceWorld();
  });
  afterAll(() => w.close());

  const detectionOf = (id: string) =>
    w.t.app.db.query<Record<string, unknown>>(
      `SELECT source, class_slug, kind, crop, region_code, mrc_code, week_start::text AS week,
              client_id, abstained
         FROM detections WHERE escalation_id = $1`,
      [id],
    );
  const rollupCount = async (slug: string) =>
    Number(
      (
        await w.t.app.db.one<{ n: string | null }>(
          `SELECT SUM(confirmed) AS n FROM detection_weekly WHERE class_slug = $1`,
          [slug],
        )
      ).n ?? 0,
    );

  it('a library answer writes one confirmed detection: region of the case, kind from the library', async () => {
    const c = await w.answeredCase(w.as.producer, 'potato_late_blight', { regionCode: '16' });
    expect(await detectionOf(c.id)).toEqual([
      {
        source: 'confirmed',
        class_slug: 'potato_late_blight',
        kind: 'disease',
        crop: 'Pomme de terre',
        region_code: '16',
        mrc_code: null,
        week: weekOf(new Date(c.createdAt), w.t.config.serviceTimezone),
        client_id: null,
        abstained: false,
      },
    ]);
    const table = await w.call('GET', '/api/surveillance/table?source=confirmed', w.as.specialist);
    expect((table.json() as SurveillanceTable).rows).toEqual([
      expect.objectContaining({
        regionCode: '16',
        slug: 'potato_late_blight',
        confirmed: 1,
        device: 0,
      }),
    ]);
  });

  it('without a region, the region and MRC come from the exact location (never copied)', async () => {
    const c = await w.answeredCase(w.as.producer, 'apple_scab', {
      regionCode: null,
      location: SHERBROOKE,
      crop: 'Pommier',
    });
    const [row] = await detectionOf(c.id);
    expect(row).toMatchObject({ region_code: '05', mrc_code: '43', crop: 'Pommier' });
    const columns = await w.t.app.db.query<{ column_name: string }>(
      `SELECT column_name FROM information_schema.columns
        WHERE table_name IN ('detections', 'detection_weekly', 'detection_weekly_region',
          'detection_weekly_reports')`,
    );
    expect(
      columns
        .map((x) => x.column_name)
        .filter((n) => /^(lat|lon)|_(lat|lon)$|location|accuracy/.test(n)),
    ).toEqual([]);
  });

  it('a location in another region than the declared one keeps the region, drops the MRC', async () => {
    const c = await w.answeredCase(w.as.producer, 'apple_scab', {
      regionCode: '16',
      location: SHERBROOKE,
    });
    expect((await detectionOf(c.id))[0]).toMatchObject({ region_code: '16', mrc_code: null });
  });

  it('an answer outside the library ("other") is not a detection', async () => {
    const created = await w.answeredCase(w.as.producer, 'potato_late_blight');
    expect(await detectionOf(created.id)).toHaveLength(1);
    // A fresh case answered "other".
    const { payload, headers } = await multipart([
      { name: 'photo', value: await jpeg(50, 40, '#123456'), filename: 'p.jpg' },
      {
        name: 'case',
        value: JSON.stringify({
          clientId: randomUUID(),
          crop: 'Blé',
          description: 'x',
          regionCode: '16',
        }),
      },
    ]);
    const res = await w.t.app.inject({
      method: 'POST',
      url: '/api/escalations',
      payload,
      headers: { ...headers, cookie: w.as.producer },
    });
    const id = (res.json() as Escalation).id;
    const answered = await w.call('POST', `/api/escalations/${id}/answer`, w.as.specialist, {
      diagnosisSlug: 'other',
      diagnosisText: 'Carence en azote',
      message: 'Ce n’est pas une maladie.',
    });
    expect(answered.statusCode).toBe(200);
    expect(await detectionOf(id)).toEqual([]);
  });

  it('answering a case again keeps exactly one confirmed detection, the latest', async () => {
    const c = await w.answeredCase(w.as.producer, 'tomato_late_blight', { crop: 'Tomate' });
    const before = {
      tomato: await rollupCount('tomato_late_blight'),
      scab: await rollupCount('apple_scab'),
    };
    const record = async (slug: string | null) =>
      w.t.app.db.transaction(async (tx) => {
        const r = createRepositories(tx);
        const found = await r.escalations.findById(c.id);
        if (!found) throw new Error('case vanished');
        await w.t.app.services.detections.recordConfirmed(
          r,
          { ...found, modelVersion: null },
          slug,
        );
      });
    await record('apple_scab');
    await record('apple_scab');
    expect((await detectionOf(c.id)).map((d) => d.class_slug)).toEqual(['apple_scab']);
    expect(await rollupCount('tomato_late_blight')).toBe(before.tomato - 1);
    expect(await rollupCount('apple_scab')).toBe(before.scab + 1);
    await record(null);
    expect(await detectionOf(c.id)).toEqual([]);
    expect(await rollupCount('apple_scab')).toBe(before.scab);
    // No zero cells are left behind in the rollup.
    const zeros = await w.t.app.db.query(
      `SELECT 1 FROM detection_weekly WHERE confirmed + device = 0
       UNION ALL SELECT 1 FROM detection_weekly_region WHERE confirmed + device = 0`,
    );
    expect(zeros).toEqual([]);
  });

  it('the public view shows a region × week × class cell only once enough distinct farms confirmed it', async () => {
    const pub = async () =>
      (
        (
          await w.call('GET', '/api/public/detections?slug=insect_armyworm')
        ).json() as PublicDetections
      ).cells;
    // One farm's cases, however many, are one farm: never a public cell on their own.
    for (let i = 0; i < PUBLIC_MIN_CELL_COUNT + 1; i += 1) {
      await w.answeredCase(w.as.other, 'insect_armyworm', { regionCode: '17', crop: 'Maïs' });
    }
    expect(await pub()).toEqual([]);
    // Distinct farms: the cell appears with the last one needed, counting every confirmation.
    const farms = ['producer', 'agronomist'] as const;
    expect(farms.length + 1).toBe(PUBLIC_MIN_CELL_COUNT);
    for (const [i, who] of farms.entries()) {
      await w.answeredCase(w.as[who], 'insect_armyworm', { regionCode: '17', crop: 'Maïs' });
      if (i < farms.length - 1) expect(await pub()).toEqual([]);
    }
    expect(await pub()).toEqual([
      expect.objectContaining({
        regionCode: '17',
        slug: 'insect_armyworm',
        count: PUBLIC_MIN_CELL_COUNT + 1 + farms.length,
      }),
    ]);
  });

  it('a deleted account still counts as one farm, under an id that no longer names it', async () => {
    const slug = 'apple_scab';
    const pub = async () =>
      (
        (await w.call('GET', `/api/public/detections?slug=${slug}`)).json() as PublicDetections
      ).cells.filter((c) => c.regionCode === '09');
    await register(w.t.app, 'leaving@example.com');
    const leaving = await login(w.t.app, 'leaving@example.com');
    const me = await w.call('GET', '/api/auth/me', leaving);
    const leavingId = (me.json() as { id: string }).id;
    for (let i = 0; i < PUBLIC_MIN_CELL_COUNT; i += 1) {
      await w.answeredCase(leaving, slug, { regionCode: '09', crop: 'Pommier' });
    }
    const deleted = await w.call('POST', '/api/privacy/delete', leaving, {
      password: 'correct-horse-battery',
    });
    expect(deleted.statusCode, deleted.body).toBe(204);
    const rows = await w.t.app.db.query<{ user_id: string | null; contributor: string }>(
      `SELECT user_id, contributor FROM detections WHERE class_slug = $1 AND region_code = '09'`,
      [slug],
    );
    expect(rows).toHaveLength(PUBLIC_MIN_CELL_COUNT);
    expect(rows.every((r) => r.user_id === null)).toBe(true);
    expect(new Set(rows.map((r) => r.contributor)).size).toBe(1);
    expect(rows[0]!.contributor).not.toBe(leavingId);
    expect(await pub()).toEqual([]);
    // Two more farms: the deleted one's confirmations count, as one farm.
    await w.answeredCase(w.as.producer, slug, { regionCode: '09', crop: 'Pommier' });
    expect(await pub()).toEqual([]);
    await w.answeredCase(w.as.agronomist, slug, { regionCode: '09', crop: 'Pommier' });
    expect(await pub()).toEqual([
      expect.objectContaining({ regionCode: '09', count: PUBLIC_MIN_CELL_COUNT + 2 }),
    ]);
  });

  it('healthy answers are confirmed detections for staff (kind=healthy) but never public', async () => {
    for (let i = 0; i < PUBLIC_MIN_CELL_COUNT; i += 1) {
      await w.answeredCase(w.as.producer, 'potato_healthy', { regionCode: '12' });
    }
    const staff = await w.call('GET', '/api/surveillance/map?kind=healthy', w.as.admin);
    expect(staff.json()).toMatchObject({
      cells: [{ code: '12', confirmed: PUBLIC_MIN_CELL_COUNT }],
    });
    const byDefault = await w.call('GET', '/api/surveillance/map?regionCode=12', w.as.admin);
    expect(byDefault.json()).toMatchObject({ cells: [] });
    const pub = await w.call('GET', '/api/public/detections?slug=potato_healthy');
    expect((pub.json() as PublicDetections).cells).toEqual([]);
  });
});
