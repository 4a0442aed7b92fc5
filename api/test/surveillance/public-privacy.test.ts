import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Escalation } from '../../src/contract/escalation';
import { PUBLIC_MIN_CELL_COUNT, type PublicDetections } from '../../src/contract/surveillance';
import { jpeg, login, multipart, register } from '../helpers/http';
import { createSurveillanceWorld, SLUGS, type SurveillanceWorld } from './world';

/** One random case: who sends it, where, what it says; every free text carries a sentinel. */
const caseArb = fc.record({
  slug: fc.constantFrom(...SLUGS.filter((s) => !s.includes('healthy'))),
  regionCode: fc.option(fc.constantFrom('16', '17', '05'), { nil: null }),
  // Inside Quebec's southern farmland, six decimals like a phone's GPS.
  lat: fc.integer({ min: 45_050_000, max: 48_500_000 }).map((n) => n / 1e6),
  lon: fc.integer({ min: -75_500_000, max: -70_000_000 }).map((n) => n / 1e6),
  withLocation: fc.boolean(),
  description: fc.string({ maxLength: 40 }),
  crop: fc.constantFrom('Pomme de terre', 'Tomate', 'Maïs'),
});

type CaseInput = typeof caseArb extends fc.Arbitrary<infer T> ? T : never;

describe('the public view leaks nothing but counts (property over random cases)', () => {
  let w: SurveillanceWorld;
  const sentinels: string[] = [];
  const coordinates: number[] = [];
  let runs = 0;

  beforeAll(async () => {
    w = await createSurveillanceWorld();
  });
  afterAll(() => w.close());

  async function answeredCase(cookie: string, c: CaseInput, sentinel: string) {
    const { payload, headers } = await multipart([
      {
        name: 'photo',
        value: await jpeg(48, 36, `#${randomUUID().slice(0, 6)}`),
        filename: 'p.jpg',
      },
      {
        name: 'case',
        value: JSON.stringify({
          clientId: randomUUID(),
          crop: `${c.crop} ${sentinel}-crop`,
          description: `${c.description} ${sentinel}-description`,
          regionCode: c.regionCode,
          location: c.withLocation ? { lat: c.lat, lon: c.lon, accuracyM: 8 } : null,
        }),
      },
    ]);
    const res = await w.t.app.inject({
      method: 'POST',
      url: '/api/escalations',
      payload,
      headers: { ...headers, cookie },
    });
    expect(res.statusCode).toBe(201);
    const id = (res.json() as Escalation).id;
    const answered = await w.call('POST', `/api/escalations/${id}/answer`, w.as.specialist, {
      diagnosisSlug: c.slug,
      message: `${sentinel}-answer`,
      recommendations: `${sentinel}-recommendations`,
    });
    expect(answered.statusCode).toBe(200);
  }

  it('no coordinates, MRC, names, e-mails, crops or free text in /api/public/detections', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(caseArb, { minLength: 1, maxLength: 4 }), async (cases) => {
        runs += 1;
        const sentinel = `zq${runs}x${randomUUID().slice(0, 8)}`;
        // As many farms as the public threshold needs, each with its name and address.
        const farms: string[] = [];
        for (let f = 0; f < PUBLIC_MIN_CELL_COUNT; f += 1) {
          const email = `${sentinel}-${f}@example.com`;
          await register(w.t.app, email);
          farms.push(await login(w.t.app, email));
          await w.t.app.db.query('UPDATE users SET display_name = $2 WHERE email = $1', [
            email,
            `${sentinel}-name`,
          ]);
        }
        sentinels.push(sentinel);
        for (const c of cases) {
          if (c.withLocation) coordinates.push(c.lat, c.lon);
          // The same case on every farm: its cell reaches the public threshold.
          for (const cookie of farms) await answeredCase(cookie, c, sentinel);
        }
        const res = await w.call('GET', '/api/public/detections');
        expect(res.statusCode).toBe(200);
        const text = res.body;
        for (const s of sentinels) expect(text).not.toContain(s);
        for (const x of coordinates) {
          expect(text).not.toContain(String(x));
          expect(text).not.toContain(x.toFixed(3));
        }
        const body = res.json() as PublicDetections;
        expect(Object.keys(body).sort()).toEqual(['cells', 'from', 'minCount', 'to']);
        for (const cell of body.cells) {
          expect(Object.keys(cell).sort()).toEqual(['count', 'regionCode', 'slug', 'week']);
          expect(cell.regionCode).toMatch(/^(0[1-9]|1[0-7])$/);
        }
      }),
      { numRuns: 8 },
    );
    // The property ran on a public view with content, not on an empty one.
    const final = (await w.call('GET', '/api/public/detections')).json() as PublicDetections;
    expect(final.cells.length).toBeGreaterThan(0);
  });

  it('the staff views carry counts and codes, never a location, a name, an e-mail or a description', async () => {
    for (const url of [
      '/api/surveillance/map',
      '/api/surveillance/map?level=mrc',
      '/api/surveillance/series',
      '/api/surveillance/table',
      '/api/surveillance/table.csv',
    ]) {
      const res = await w.call('GET', url, w.as.specialist);
      expect(res.statusCode).toBe(200);
      for (const s of sentinels) {
        for (const leak of ['description', 'name', 'answer', 'recommendations', '@example.com']) {
          expect(res.body).not.toContain(`${s}-${leak}`);
        }
        expect(res.body).not.toContain(`${s}@`);
      }
      for (const x of coordinates) expect(res.body).not.toContain(String(x));
    }
    // The views checked above had content (a case without region and outside Quebec has none).
    const table = (await w.call('GET', '/api/surveillance/table', w.as.specialist)).json() as {
      rows: unknown[];
    };
    expect(table.rows.length).toBeGreaterThan(0);
  });
});
