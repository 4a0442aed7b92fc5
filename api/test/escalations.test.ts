import { randomUUID } from 'node:crypto';
import exifr from 'exifr';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Escalation, EscalationList } from '../src/contract/escalation';
import { caseJson } from './helpers/case-json';
import { expectError, jpeg, login, multipart, register, type Part } from './helpers/http';
import { createSeededTestApp } from './helpers/seeded-app';
import type { TestApp } from './helpers/test-app';

const PASSWORD = 'demo-password-for-tests';

describe('escalations', () => {
  let t: TestApp;
  let producer: string;
  let other: string;
  let gardener: string;
  let specialist: string;
  let photo: Buffer;
  // Distinct photos per case: the same photos as an open case are refused as a duplicate.
  let pool: Buffer[];
  let nextPhoto = 0;

  const post = async (cookie: string, parts: Part[]) => {
    const { payload, headers } = await multipart(parts);
    return t.app.inject({
      method: 'POST',
      url: '/api/escalations',
      payload,
      headers: { ...headers, cookie },
    });
  };
  const withPhotos = (n: number, json = caseJson()): Part[] => [
    ...Array.from({ length: n }, (_, i) => ({
      name: 'photo',
      value: pool[nextPhoto++ % pool.length] ?? photo,
      filename: `p${i}.jpg`,
    })),
    { name: 'case', value: json },
  ];

  beforeAll(async () => {
    t = await createSeededTestApp({
      slugs: ['potato_late_blight', 'potato_early_blight'],
      demoPassword: PASSWORD,
      env: { CASE_RATE_LIMIT_MAX: '1000' },
    });
    await register(t.app, 'other@example.com');
    await register(t.app, 'gardener@example.com', 'gardener');
    producer = await login(t.app, 'producteur@demo.local', PASSWORD);
    specialist = await login(t.app, 'specialiste@demo.local', PASSWORD);
    other = await login(t.app, 'other@example.com');
    gardener = await login(t.app, 'gardener@example.com');
    photo = await jpeg(800, 600);
    pool = await Promise.all(
      Array.from({ length: 80 }, (_, i) =>
        jpeg(800, 600, `#${(0x203040 + i * 0x010203).toString(16).padStart(6, '0')}`),
      ),
    );
  });
  afterAll(() => t.close());

  it('requires a session', async () => {
    const { payload, headers } = await multipart(withPhotos(1));
    expectError(
      await t.app.inject({ method: 'POST', url: '/api/escalations', payload, headers }),
      401,
      'UNAUTHENTICATED',
    );
  });

  it('creates a case with photos (fields in any order) and serves the stored photos', async () => {
    const json = caseJson();
    const res = await post(producer, [{ name: 'case', value: json }, ...withPhotos(2).slice(0, 2)]);
    expect(res.statusCode).toBe(201);
    const e = res.json() as Escalation;
    expect(e).toMatchObject({
      clientId: JSON.parse(json).clientId,
      status: 'received',
      crop: 'Pomme de terre',
      profileKind: 'producer',
      regionCode: '03',
      location: { lat: 46.81, lon: -71.21, accuracyM: 12 },
      answer: null,
    });
    expect(e.history).toEqual([expect.objectContaining({ from: null, to: 'received' })]);
    expect(e.photos).toHaveLength(2);
    expect(e.photos[0]).toMatchObject({ width: 800, height: 600 });
    // Escalation photos are private: served with the owner's session only.
    const img = await t.app.inject({
      url: e.photos[0]?.thumbUrl ?? '',
      headers: { cookie: producer },
    });
    expect(img.statusCode).toBe(200);
    expect((await t.app.inject({ url: e.photos[0]?.thumbUrl ?? '' })).statusCode).toBe(404);
    expect(img.headers['content-type']).toBe('image/webp');
    const own = await t.app.inject({
      url: `/api/escalations/${e.id}`,
      headers: { cookie: producer },
    });
    expect(own.json()).toEqual(e);
  });

  it('keeps how the device weighed its probabilities (context switch, whose season)', async () => {
    const prediction = {
      modelVersion: 'v-test',
      abstained: false,
      top: [{ slug: 'potato_late_blight', p: 0.8 }],
      context: { crop: 'potato', regionCode: '16', month: 7, priors: true, season: 'region' },
    };
    const res = await post(producer, withPhotos(1, caseJson({ prediction })));
    expect(res.statusCode, res.body).toBe(201);
    const { id } = res.json() as Escalation;
    const seen = await t.app.inject({
      url: `/api/escalations/${id}`,
      headers: { cookie: specialist },
    });
    expect((seen.json() as Escalation).prediction).toEqual(prediction);
    expectError(
      await post(
        producer,
        withPhotos(1, caseJson({ prediction: { ...prediction, context: { season: 'moon' } } })),
      ),
      400,
      'INVALID_CASE',
    );
  });

  it('accepts the case field sent as an application/json Blob, with 5 photos', async () => {
    const res = await post(producer, [
      ...withPhotos(5).slice(0, 5),
      {
        name: 'case',
        value: caseJson({ prediction: null, location: null }),
        type: 'application/json',
      },
    ]);
    expect(res.statusCode).toBe(201);
    expect((res.json() as Escalation).photos).toHaveLength(5);
    expect((res.json() as Escalation).location).toBeNull();
  });

  it('returns the same case (200) when the same clientId is sent again, even concurrently', async () => {
    const json = caseJson();
    const first = await post(producer, withPhotos(1, json));
    expect(first.statusCode).toBe(201);
    const again = await post(producer, withPhotos(1, json));
    expect(again.statusCode).toBe(200);
    expect((again.json() as Escalation).id).toBe((first.json() as Escalation).id);

    const racing = caseJson();
    const results = await Promise.all([1, 2, 3].map(() => post(producer, withPhotos(1, racing))));
    const ids = new Set(results.map((r) => (r.json() as Escalation).id));
    expect(ids.size).toBe(1);
    expect(results.map((r) => r.statusCode).sort()).toEqual([200, 200, 201]);
    const rows = await t.app.db.query('SELECT id FROM escalations WHERE client_id = $1', [
      JSON.parse(racing).clientId,
    ]);
    expect(rows).toHaveLength(1);
  });

  it('a clientId is per user: another user gets their own case', async () => {
    const json = caseJson();
    const a = await post(producer, withPhotos(1, json));
    const b = await post(other, withPhotos(1, json));
    expect(b.statusCode).toBe(201);
    expect((b.json() as Escalation).id).not.toBe((a.json() as Escalation).id);
  });

  describe('rejects bad input with a 4xx code and writes nothing', () => {
    let before: number;
    beforeAll(async () => {
      before = (await t.app.db.one<{ n: number }>('SELECT COUNT(*)::int AS n FROM escalations')).n;
    });
    afterAll(async () => {
      const after = (
        await t.app.db.one<{ n: number }>('SELECT COUNT(*)::int AS n FROM escalations')
      ).n;
      expect(after).toBe(before);
    });

    it('no photo', async () =>
      expectError(await post(producer, withPhotos(0)), 400, 'PHOTO_REQUIRED'));
    it('6 photos', async () =>
      expectError(await post(producer, withPhotos(6)), 400, 'TOO_MANY_PHOTOS'));
    it('9 photos (beyond the multipart file limit)', async () =>
      expectError(await post(producer, withPhotos(9)), 400, 'TOO_MANY_PHOTOS'));
    it('a text file as photo', async () =>
      expectError(
        await post(producer, [
          { name: 'photo', value: Buffer.from('not an image at all'), filename: 'x.jpg' },
          { name: 'case', value: caseJson() },
        ]),
        415,
        'NOT_AN_IMAGE',
      ));
    it('a truncated JPEG, named by its place among the photos', async () => {
      const res = await post(producer, [
        { name: 'photo', value: photo, filename: 'ok.jpg' },
        {
          name: 'photo',
          value: photo.subarray(0, Math.floor(photo.length / 2)),
          filename: 'x.jpg',
        },
        { name: 'case', value: caseJson() },
      ]);
      expectError(res, 422, 'IMAGE_CORRUPT');
      expect((res.json() as { error: { message: string } }).error.message).toMatch(
        /^Photo 2\u00a0: /,
      );
    });
    it('a 50-megapixel image', async () => {
      const big = await sharp({
        create: { width: 10_000, height: 5_000, channels: 3, background: '#777' },
      })
        .jpeg()
        .toBuffer();
      expectError(
        await post(producer, [
          { name: 'photo', value: big, filename: 'big.jpg' },
          { name: 'case', value: caseJson() },
        ]),
        422,
        'IMAGE_TOO_LARGE',
      );
    });
    it('an SVG (an image format we refuse)', async () =>
      expectError(
        await post(producer, [
          {
            name: 'photo',
            value: Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>'),
            filename: 'x.svg',
          },
          { name: 'case', value: caseJson() },
        ]),
        415,
        'UNSUPPORTED_IMAGE_FORMAT',
      ));
    it('missing case field', async () =>
      expectError(await post(producer, withPhotos(1).slice(0, 1)), 400, 'INVALID_CASE'));
    it('malformed case JSON', async () =>
      expectError(await post(producer, withPhotos(1, '{"clientId": ')), 400, 'INVALID_CASE'));
    it('malformed case JSON declared as application/json', async () =>
      expectError(
        await post(producer, [
          ...withPhotos(1).slice(0, 1),
          { name: 'case', value: '{oops', type: 'application/json' },
        ]),
        400,
        'INVALID_CASE',
      ));
    it('missing required fields', async () =>
      expectError(
        await post(producer, withPhotos(1, JSON.stringify({ clientId: randomUUID() }))),
        400,
        'INVALID_CASE',
      ));
    it('clientId not a uuid', async () =>
      expectError(
        await post(producer, withPhotos(1, caseJson({ clientId: 'abc' }))),
        400,
        'INVALID_CASE',
      ));
    it('unknown slug in the prediction', async () =>
      expectError(
        await post(
          producer,
          withPhotos(
            1,
            caseJson({
              prediction: {
                modelVersion: 'v',
                abstained: false,
                top: [{ slug: 'made_up', p: 0.5 }],
              },
            }),
          ),
        ),
        422,
        'UNKNOWN_SLUG',
      ));
    it('a photo over the size limit', async () => {
      const huge = Buffer.alloc(16 * 1024 * 1024, 1);
      expectError(
        await post(producer, [
          { name: 'photo', value: huge, filename: 'h.jpg' },
          { name: 'case', value: caseJson() },
        ]),
        413,
        'PAYLOAD_TOO_LARGE',
      );
    });
    it('a JSON body instead of multipart', async () => {
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/escalations',
        headers: { cookie: producer },
        payload: { a: 1 },
      });
      expectError(res, 415, 'UNSUPPORTED_MEDIA_TYPE');
    });
  });

  it('strips GPS and every other metadata from every stored variant, and auto-orients', async () => {
    const withGps = await sharp({
      create: { width: 64, height: 48, channels: 3, background: '#3a6' },
    })
      .jpeg()
      .withExif({
        IFD0: { Make: 'PhoneCo', Model: 'Spy 3000' },
        IFD3: {
          GPSLatitudeRef: 'N',
          GPSLatitude: '46/1 48/1 0/1',
          GPSLongitudeRef: 'W',
          GPSLongitude: '71/1 12/1 0/1',
        },
      })
      .withMetadata({ orientation: 6 })
      .toBuffer();
    // The fixture really carries GPS: otherwise this test would prove nothing.
    expect(await exifr.gps(withGps)).toMatchObject({ latitude: 46.8 });
    const res = await post(producer, [
      { name: 'photo', value: withGps, filename: 'gps.jpg' },
      { name: 'case', value: caseJson() },
    ]);
    expect(res.statusCode).toBe(201);
    const e = res.json() as Escalation;
    // Orientation 6 = rotated 90°: the stored image is upright, so width and height swap.
    expect(e.photos[0]).toMatchObject({ width: 48, height: 64 });
    const { media_key: key } = await t.app.db.one<{ media_key: string }>(
      'SELECT media_key FROM escalation_photos WHERE escalation_id = $1',
      [e.id],
    );
    // Thumbnail and icon are derived on first request: open() makes them as a GET would.
    for (const [variant, name] of [
      ['full', `${key}.jpg`],
      ['thumb', `${key}-320.webp`],
      ['icon', `${key}-96.webp`],
    ] as const) {
      expect(await t.app.media.store.has(name), name).toBe(variant === 'full');
      const stored = await t.app.media.open(key, variant);
      if (!stored) throw new Error(`${name} not stored`);
      expect(await t.app.media.store.has(name), name).toBe(true);
      const chunks: Buffer[] = [];
      for await (const chunk of stored.stream) chunks.push(chunk as Buffer);
      const bytes = Buffer.concat(chunks);
      const meta = await sharp(bytes).metadata();
      expect(meta.exif, name).toBeUndefined();
      expect(meta.xmp, name).toBeUndefined();
      expect(meta.icc, name).toBeUndefined();
      expect(meta.orientation, name).toBeUndefined();
      if (name.endsWith('.jpg')) {
        expect(await exifr.gps(bytes)).toBeUndefined();
        expect(await exifr.parse(bytes, true)).toBeUndefined();
      }
    }
  });

  it("another user's case is 404 NOT_FOUND, never 403", async () => {
    const mine = (await post(producer, withPhotos(1))).json() as Escalation;
    expectError(
      await t.app.inject({ url: `/api/escalations/${mine.id}`, headers: { cookie: other } }),
      404,
      'NOT_FOUND',
    );
    const list = (
      await t.app.inject({ url: '/api/escalations', headers: { cookie: other } })
    ).json() as EscalationList;
    expect(list.items.map((i) => i.id)).not.toContain(mine.id);
    // The specialist sees it, location included.
    const seen = await t.app.inject({
      url: `/api/escalations/${mine.id}`,
      headers: { cookie: specialist },
    });
    expect((seen.json() as Escalation).location).not.toBeNull();
  });

  it('a producer cannot answer; a specialist can, with a library slug only', async () => {
    const e = (await post(producer, withPhotos(1))).json() as Escalation;
    const body = {
      diagnosisSlug: 'potato_early_blight',
      message: 'Alternariose : taches concentriques.',
    };
    expectError(
      await t.app.inject({
        method: 'POST',
        url: `/api/escalations/${e.id}/answer`,
        headers: { cookie: producer },
        payload: body,
      }),
      403,
      'FORBIDDEN',
    );
    expectError(
      await t.app.inject({
        method: 'POST',
        url: `/api/escalations/${e.id}/answer`,
        headers: { cookie: specialist },
        payload: { ...body, diagnosisSlug: 'nope' },
      }),
      422,
      'UNKNOWN_SLUG',
    );
    expectError(
      await t.app.inject({
        method: 'POST',
        url: `/api/escalations/${randomUUID()}/answer`,
        headers: { cookie: specialist },
        payload: body,
      }),
      404,
      'NOT_FOUND',
    );
    const res = await t.app.inject({
      method: 'POST',
      url: `/api/escalations/${e.id}/answer`,
      headers: { cookie: specialist },
      payload: body,
    });
    expect(res.statusCode).toBe(200);
    const answered = res.json() as Escalation;
    expect(answered.status).toBe('answered');
    expect(answered.answer).toMatchObject({
      diagnosisSlug: 'potato_early_blight',
      specialistName: 'Spécialiste démo',
    });
    expect(answered.history.map((h) => [h.from, h.to])).toEqual([
      [null, 'received'],
      ['received', 'answered'],
    ]);
    const ownerView = (
      await t.app.inject({ url: `/api/escalations/${e.id}`, headers: { cookie: producer } })
    ).json() as Escalation;
    expect(ownerView.answer?.message).toBe(body.message);
  });

  it('orders the specialist queue: open cases, agricultural clientele before gardeners, oldest first', async () => {
    const g = (await post(gardener, withPhotos(1))).json() as Escalation;
    const p = (await post(other, withPhotos(1))).json() as Escalation;
    const queue = (
      (
        await t.app.inject({ url: '/api/escalations', headers: { cookie: specialist } })
      ).json() as EscalationList
    ).items;
    const open = queue.filter((i) => i.status !== 'answered' && i.status !== 'closed');
    expect(queue.slice(0, open.length)).toEqual(open);
    const firstGardener = open.findIndex((i) => i.profileKind === 'gardener');
    expect(open.slice(firstGardener).every((i) => i.profileKind === 'gardener')).toBe(true);
    expect(open.findIndex((i) => i.id === p.id)).toBeLessThan(open.findIndex((i) => i.id === g.id));
    const farm = open.filter((i) => i.profileKind !== 'gardener').map((i) => i.createdAt);
    expect(farm).toEqual([...farm].sort());
    // A producer's list holds only their own cases.
    const mine = (
      (
        await t.app.inject({ url: '/api/escalations', headers: { cookie: gardener } })
      ).json() as EscalationList
    ).items;
    expect(mine.map((i) => i.id)).toEqual([g.id]);
  });
});
