import { Writable } from 'node:stream';
import exifr from 'exifr';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Escalation, EscalationList } from '../../src/contract/escalation';
import type { LibraryEntry } from '../../src/contract/library';
import { variantKey } from '../../src/media/media-keys';
import { expectError, login } from '../helpers/http';
import { caseJson, createWorld, ROLES, type RoleName, type World } from './world';

async function gpsJpeg(): Promise<Buffer> {
  return sharp({ create: { width: 96, height: 64, channels: 3, background: '#3a6' } })
    .jpeg()
    .withExif({
      IFD0: { Make: 'PhoneCo', Model: 'Spy 3000', Artist: 'Jeanne Tremblay' },
      IFD3: {
        GPSLatitudeRef: 'N',
        GPSLatitude: '46/1 48/1 0/1',
        GPSLongitudeRef: 'W',
        GPSLongitude: '71/1 12/1 0/1',
      },
    })
    .toBuffer();
}

describe('privacy of escalation photos, locations and logs', () => {
  let w: World;
  let gpsCase: Escalation;
  const lines: string[] = [];

  beforeAll(async () => {
    const logStream = new Writable({
      write(chunk: Buffer, _enc, done) {
        lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
        done();
      },
    });
    w = await createWorld({ LOG_LEVEL: 'info' }, { logStream });
    const withGps = await gpsJpeg();
    // The fixture really carries GPS: otherwise the stripping checks would prove nothing.
    expect(await exifr.gps(withGps)).toMatchObject({ latitude: 46.8 });
    const res = await w.postCase(w.cookies.producer, [
      { name: 'photo', value: withGps, filename: 'gps.jpg' },
      { name: 'photo', value: w.photo, filename: 'plain.jpg' },
      { name: 'case', value: caseJson() },
    ]);
    expect(res.statusCode).toBe(201);
    gpsCase = res.json() as Escalation;
  });
  afterAll(() => w.t.close());

  const get = (url: string, role: RoleName) =>
    w.t.app.inject({ url, headers: w.cookies[role] ? { cookie: w.cookies[role] } : {} });

  it('photo URLs are authenticated API routes, never the public /images/', () => {
    expect(gpsCase.photos).toHaveLength(2);
    gpsCase.photos.forEach((p, i) => {
      expect(p.url).toBe(`/api/escalations/${gpsCase.id}/photos/${i}`);
      expect(p.thumbUrl).toBe(`/api/escalations/${gpsCase.id}/photos/${i}?size=thumb`);
    });
  });

  const expected: Record<RoleName, number> = {
    anonymous: 404,
    producer: 200,
    otherProducer: 404,
    agronomist: 404,
    specialist: 200,
    admin: 200,
  };
  for (const role of ROLES) {
    it(`photo access for ${role}: ${expected[role]}`, async () => {
      for (const photo of gpsCase.photos) {
        for (const url of [photo.url, photo.thumbUrl]) {
          const res = await get(url, role);
          if (expected[role] === 200) {
            expect(res.statusCode, url).toBe(200);
            expect(res.headers['cache-control']).toMatch(/^private\b/);
            expect(res.headers['content-type']).toBe(
              url.endsWith('thumb') ? 'image/webp' : 'image/jpeg',
            );
          } else {
            expectError(res, 404, 'NOT_FOUND');
            expect(res.headers['cache-control'] ?? '').not.toMatch(/public/);
          }
        }
      }
    });
  }

  it('out-of-range positions and unknown cases are 404, even for staff', async () => {
    expectError(
      await get(`/api/escalations/${gpsCase.id}/photos/2`, 'specialist'),
      404,
      'NOT_FOUND',
    );
    expectError(
      await get(`/api/escalations/${crypto.randomUUID()}/photos/0`, 'admin'),
      404,
      'NOT_FOUND',
    );
  });

  it('the same stored bytes are NOT reachable at /images/<key> by anyone', async () => {
    const rows = await w.t.app.db.query<{ media_key: string }>(
      'SELECT media_key FROM escalation_photos WHERE escalation_id = $1',
      [gpsCase.id],
    );
    expect(rows).toHaveLength(2);
    for (const { media_key } of rows) {
      // The files exist (the private route serves them)...
      expect(await w.t.app.media.store.has(variantKey(media_key, 'full'))).toBe(true);
      for (const variant of ['full', 'thumb', 'icon'] as const) {
        for (const role of ['anonymous', 'producer', 'specialist'] as const) {
          // ...but the public route refuses them, with the same answer as a missing key.
          expectError(
            await get(`/images/${variantKey(media_key, variant)}`, role),
            404,
            'NOT_FOUND',
          );
        }
      }
    }
  });

  it('library (bank) images stay public and cacheable for a day at /images', async () => {
    const entry = (
      await get('/api/library/potato_late_blight', 'anonymous')
    ).json() as LibraryEntry;
    expect(entry.images.length).toBeGreaterThan(0);
    for (const img of entry.images) {
      for (const url of [img.url, img.thumbUrl]) {
        const res = await get(url, 'anonymous');
        expect(res.statusCode).toBe(200);
        expect(res.headers['cache-control']).toBe('public, max-age=86400');
      }
    }
  });

  it('no GPS, EXIF, XMP or ICC in any served variant of any photo', async () => {
    const served: Buffer[] = [];
    for (const photo of gpsCase.photos) {
      for (const url of [photo.url, photo.thumbUrl])
        served.push((await get(url, 'producer')).rawPayload);
    }
    const rows = await w.t.app.db.query<{ media_key: string }>(
      'SELECT media_key FROM escalation_photos WHERE escalation_id = $1',
      [gpsCase.id],
    );
    // The icon variant is not routed for escalations; check it as the media service makes it.
    for (const { media_key } of rows) {
      const file = await w.t.app.media.open(media_key, 'icon');
      if (!file) throw new Error('icon missing');
      const chunks: Buffer[] = [];
      for await (const c of file.stream) chunks.push(c as Buffer);
      served.push(Buffer.concat(chunks));
    }
    expect(served).toHaveLength(6);
    for (const bytes of served) {
      expect(await exifr.gps(bytes).catch(() => undefined)).toBeUndefined();
      expect(await exifr.parse(bytes, true).catch(() => undefined)).toBeUndefined();
      const meta = await sharp(bytes).metadata();
      expect(meta.exif).toBeUndefined();
      expect(meta.xmp).toBeUndefined();
      expect(meta.icc).toBeUndefined();
      expect(bytes.includes(Buffer.from('PhoneCo'))).toBe(false);
      expect(bytes.includes(Buffer.from('Tremblay'))).toBe(false);
    }
  });

  it('the exact location: owner everywhere, staff only in the (logged) case view, nobody else', async () => {
    const visible: Record<RoleName, boolean | 'no-access'> = {
      anonymous: 'no-access',
      producer: true,
      otherProducer: 'no-access',
      agronomist: 'no-access',
      specialist: true,
      admin: true,
    };
    for (const role of ROLES) {
      const detail = await get(`/api/escalations/${gpsCase.id}`, role);
      const list = await get('/api/escalations', role);
      if (visible[role] === 'no-access') {
        expect([401, 404], role).toContain(detail.statusCode);
        expect(detail.body).not.toContain('46.81');
        if (list.statusCode === 200) {
          const items = (list.json() as EscalationList).items;
          expect(items.map((i) => i.id)).not.toContain(gpsCase.id);
        }
        expect(list.body).not.toContain('46.81');
        continue;
      }
      expect(detail.statusCode, role).toBe(200);
      expect((detail.json() as Escalation).location).toEqual({
        lat: 46.81,
        lon: -71.21,
        accuracyM: 12,
      });
      const mine = (list.json() as EscalationList).items.find((i) => i.id === gpsCase.id);
      // The queue would otherwise show every case's location without a trace in the access log.
      if (role === 'producer') {
        expect(mine?.location, role).toEqual({ lat: 46.81, lon: -71.21, accuracyM: 12 });
      } else {
        expect(mine, role).toBeDefined();
        expect(mine?.location, role).toBeNull();
        expect(list.body, role).not.toContain('46.81');
      }
    }
  });

  it('logs hold no cookies, tokens, passwords or emails', async () => {
    const secretPassword = 'Tr3s-Secret-Passphrase!';
    const email = 'jeanne.tremblay@ferme-exemple.ca';
    lines.length = 0;
    await w.t.app.inject({
      method: 'POST',
      url: '/api/auth/register',
      payload: { email, password: secretPassword, profileKind: 'producer' },
    });
    await w.t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { email, password: 'wrong-password-123' },
    });
    const cookie = await login(w.t.app, email, secretPassword);
    const token = cookie.split('=')[1] ?? '';
    await w.t.app.inject({
      url: `/api/escalations?email=${encodeURIComponent(email)}`,
      headers: { cookie, authorization: `Bearer ${token}` },
    });
    await w.t.app.inject({
      method: 'POST',
      url: '/api/auth/register',
      payload: { email, password: secretPassword, profileKind: 'producer' },
    });
    // Direct logging, as a future handler or a database error might do it.
    w.t.app.log.error(
      {
        err: new Error(`duplicate key value (email)=(${email})`),
        body: { email, password: secretPassword },
        headers: { cookie, authorization: `Bearer ${token}` },
        user: { email, passwordHash: 'argon2-hash' },
      },
      'something failed',
    );
    expect(lines.length).toBeGreaterThan(5);
    const all = lines.join('\n');
    // The capture works: request lines are there.
    expect(all).toContain('/api/auth/login');
    expect(all).toContain('something failed');
    for (const secret of [secretPassword, email, token, 'argon2-hash', 'phytodiag_session=']) {
      expect(all, secret).not.toContain(secret);
    }
    expect(all).toContain('[redacted]');
    expect(all).toContain('[email]');
  });
});
