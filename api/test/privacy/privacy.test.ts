import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Escalation } from '../../src/contract/escalation';
import type { LocationAccessList } from '../../src/contract/surveillance';
import { variantKey, VARIANTS, type Variant } from '../../src/media/media-keys';
import { weekOf } from '../../src/lib/iso-week';
import { expectError, jpeg, login, multipart } from '../helpers/http';
import {
  createPrivacyWorld,
  DEMO_PASSWORD,
  EXTRA,
  USER_PASSWORD,
  type PrivacyWorld,
} from './privacy-world';

const accessOf = async (w: PrivacyWorld, id: string, cookie: string) => {
  const res = await w.call('GET', `/api/escalations/${id}/location-access`, cookie);
  expect(res.statusCode, res.body).toBe(200);
  return (res.json() as LocationAccessList).items;
};

describe('location access log', () => {
  let w: PrivacyWorld;
  let c: Escalation;
  beforeAll(async () => {
    w = await createPrivacyWorld();
    c = await w.newCase(w.as.producer);
  });
  afterAll(() => w.close());

  it('a staff look at a case with its location is logged; the owner, the queue and cases without a location are not', async () => {
    expect(await accessOf(w, c.id, w.as.producer)).toEqual([]);
    // The owner's own views are not logged.
    expect((await w.call('GET', `/api/escalations/${c.id}`, w.as.producer)).statusCode).toBe(200);
    // The queue (list) is not the case view.
    expect((await w.call('GET', '/api/escalations', w.as.specialist)).statusCode).toBe(200);
    expect(await accessOf(w, c.id, w.as.producer)).toEqual([]);

    const seen = await w.call('GET', `/api/escalations/${c.id}`, w.as.specialist);
    expect((seen.json() as Escalation).location).not.toBeNull();
    expect((await w.call('GET', `/api/escalations/${c.id}`, w.as.admin)).statusCode).toBe(200);
    const items = await accessOf(w, c.id, w.as.producer);
    expect(items.map((i) => [i.viewer.id, i.role])).toEqual([
      [w.ids.admin, 'admin'],
      [w.ids.specialist, 'specialist'],
    ]);
    expect(items[1]!.viewer.name).not.toBeNull();
    expect(Date.parse(items[0]!.at)).toBeGreaterThanOrEqual(Date.parse(items[1]!.at));

    const noLocation = await w.newCase(w.as.producer, { location: undefined });
    expect(
      (await w.call('GET', `/api/escalations/${noLocation.id}`, w.as.specialist)).statusCode,
    ).toBe(200);
    expect(await accessOf(w, noLocation.id, w.as.producer)).toEqual([]);
  });

  it('the lab actions answer staff without the location, so no look escapes the log', async () => {
    const fresh = await w.newCase(w.as.producer);
    const claimed = await w.call('POST', `/api/escalations/${fresh.id}/claim`, w.as.specialist);
    expect(claimed.statusCode, claimed.body).toBe(200);
    expect((claimed.json() as Escalation).location).toBeNull();
    const answered = await w.answer(fresh.id, 'potato_late_blight');
    expect(answered.statusCode, answered.body).toBe(200);
    expect((answered.json() as Escalation).location).toBeNull();
    expect(await accessOf(w, fresh.id, w.as.producer)).toEqual([]);
    // The owner closing their own case still sees their location.
    const closed = await w.call('POST', `/api/escalations/${fresh.id}/close`, w.as.producer);
    expect(closed.statusCode, closed.body).toBe(200);
    expect((closed.json() as Escalation).location).not.toBeNull();
  });

  it('is readable by the owner and admins only (specialist 403, others 404, anonymous 401)', async () => {
    expect(await accessOf(w, c.id, w.as.admin)).toHaveLength(2);
    const url = `/api/escalations/${c.id}/location-access`;
    expectError(await w.call('GET', url, w.as.specialist), 403, 'FORBIDDEN');
    expectError(await w.call('GET', url, w.as.other), 404, 'NOT_FOUND');
    expectError(await w.call('GET', url, w.as.agronomist), 404, 'NOT_FOUND');
    expectError(await w.call('GET', url), 401, 'UNAUTHENTICATED');
    expectError(
      await w.call('GET', `/api/escalations/${randomUUID()}/location-access`, w.as.admin),
      404,
      'NOT_FOUND',
    );
  });
});

/** Rows per table that belong to `userId` (directly or through their cases). */
async function rowsOf(w: PrivacyWorld, userId: string): Promise<Record<string, number>> {
  const q = async (sql: string) =>
    (await w.t.app.db.one<{ n: number }>(`SELECT (${sql})::int AS n`, [userId])).n;
  const ofCases = (table: string) =>
    `SELECT COUNT(*) FROM ${table} x JOIN escalations e ON e.id = x.escalation_id WHERE e.user_id = $1`;
  return {
    users: await q('SELECT COUNT(*) FROM users WHERE id = $1'),
    sessions: await q('SELECT COUNT(*) FROM sessions WHERE user_id = $1'),
    escalations: await q('SELECT COUNT(*) FROM escalations WHERE user_id = $1'),
    escalation_photos: await q(ofCases('escalation_photos')),
    escalation_messages: await q(ofCases('escalation_messages')),
    messages_written: await q('SELECT COUNT(*) FROM escalation_messages WHERE author_id = $1'),
    escalation_answers: await q(ofCases('escalation_answers')),
    escalation_status_history: await q(ofCases('escalation_status_history')),
    escalation_ratings: await q('SELECT COUNT(*) FROM escalation_ratings WHERE user_id = $1'),
    notifications: await q('SELECT COUNT(*) FROM notifications WHERE user_id = $1'),
    alert_subscriptions: await q('SELECT COUNT(*) FROM alert_subscriptions WHERE user_id = $1'),
    consent_events: await q('SELECT COUNT(*) FROM consent_events WHERE user_id = $1'),
    detections: await q('SELECT COUNT(*) FROM detections WHERE user_id = $1'),
    location_access_log: await q(ofCases('location_access_log')),
  };
}

describe('export and deletion of my data', () => {
  let w: PrivacyWorld;
  let mine: Escalation;
  let theirs: Escalation;
  const week = weekOf(new Date(), 'America/Toronto');

  /** A producer with a bit of everything: consents, detections, an answered and rated case
   * with a thread (and a thread photo), an alert subscription, notifications. */
  async function populate(who: 'producer' | 'other', sentinel: string): Promise<Escalation> {
    const cookie = w.as[who];
    expect(
      (
        await w.call('PUT', '/api/privacy/consents', cookie, {
          location: true,
          shareDetections: true,
        })
      ).statusCode,
    ).toBe(200);
    const det = await w.call('POST', '/api/detections', cookie, {
      items: [
        {
          clientId: randomUUID(),
          slug: 'potato_late_blight',
          confidence: 0.9,
          abstained: false,
          crop: 'Pomme de terre',
          regionCode: '03',
          week,
          modelVersion: 'v-test',
        },
      ],
    });
    expect(det.statusCode, det.body).toBe(200);
    const c = await w.newCase(cookie, { description: `${sentinel} description` }, 2);
    const { payload, headers } = await multipart([
      { name: 'body', value: `${sentinel} message` },
      {
        name: 'photo',
        value: await jpeg(90, 60, who === 'producer' ? '#aa3311' : '#11aa33'),
        filename: 'm.jpg',
      },
    ]);
    const msg = await w.t.app.inject({
      method: 'POST',
      url: `/api/escalations/${c.id}/messages`,
      payload,
      headers: { ...headers, cookie },
    });
    expect(msg.statusCode, msg.body).toBe(201);
    expect(
      (
        await w.call('POST', `/api/escalations/${c.id}/messages`, w.as.specialist, {
          body: 'Une question ?',
        })
      ).statusCode,
    ).toBe(201);
    expect((await w.answer(c.id, 'potato_late_blight')).statusCode).toBe(200);
    expect(
      (
        await w.call('POST', `/api/escalations/${c.id}/rating`, cookie, {
          score: 4,
          comment: sentinel,
        })
      ).statusCode,
    ).toBe(200);
    expect(
      (await w.call('POST', '/api/alerts/subscriptions', cookie, { regionCode: '07', email: true }))
        .statusCode,
    ).toBe(201);
    // The specialist looks at the case (location access log).
    expect((await w.call('GET', `/api/escalations/${c.id}`, w.as.specialist)).statusCode).toBe(200);
    return c;
  }

  beforeAll(async () => {
    w = await createPrivacyWorld();
    mine = await populate('producer', 'SENTINEL-MINE');
    theirs = await populate('other', 'SENTINEL-THEIRS');
  });
  afterAll(() => w.close());

  it('export: the file is named in the person’s language', async () => {
    const english = await w.t.app.inject({
      method: 'PATCH',
      url: '/api/auth/me',
      payload: { language: 'en' },
      headers: { cookie: w.as.gardener },
    });
    expect(english.statusCode).toBe(200);
    const res = await w.call('GET', '/api/privacy/export', w.as.gardener);
    expect(res.headers['content-disposition']).toMatch(
      /^attachment; filename="phytodiag-my-data-\d{4}-\d{2}-\d{2}\.json"$/,
    );
  });

  it('export: a JSON attachment with all my data, nobody else’s, never credentials', async () => {
    // A role held for a while (given on the command line, then taken back).
    await w.t.app.repos.users.setRole(w.ids.producer, 'agronomist', null);
    await w.t.app.repos.users.setRole(w.ids.producer, 'producer', null);
    // A password link an admin gave them by phone.
    expect(
      (await w.call('POST', `/api/users/${w.ids.producer}/password-reset`, w.as.admin)).statusCode,
    ).toBe(200);
    const res = await w.call('GET', '/api/privacy/export', w.as.producer);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.headers['content-disposition']).toMatch(
      /^attachment; filename="phytodiag-mes-donnees-\d{4}-\d{2}-\d{2}\.json"$/,
    );
    expect(res.headers['cache-control']).toBe('no-store');
    const text = res.body;
    const data = JSON.parse(text) as {
      profile: { id: string; email: string };
      roleChanges: { from: string; to: string; at: string }[];
      passwordLinksGiven: Record<string, string>[];
      consents: { location: boolean; shareDetections: boolean; history: unknown[] };
      sessions: { createdAt: string }[];
      cases: {
        id: string;
        description: string;
        location: unknown;
        photos: { url: string }[];
        answer: { diagnosisSlug: string } | null;
        rating: { score: number } | null;
        messages: { body: string; fromOwner: boolean; photos: { url: string }[] }[];
        locationAccess: { role: string }[];
      }[];
      detections: { slug: string; source: string }[];
      alertSubscriptions: { regionCode: string }[];
      notifications: { kind: string }[];
    };
    expect(data.profile).toMatchObject({ id: w.ids.producer, email: 'producteur@demo.local' });
    expect(data.roleChanges.map((r) => `${r.from}>${r.to}`)).toEqual([
      'producer>agronomist',
      'agronomist>producer',
    ]);
    expect(data.passwordLinksGiven).toEqual([{ at: expect.any(String) }]);
    expect(data.consents).toMatchObject({ location: true, shareDetections: true });
    expect(data.consents.history.length).toBeGreaterThanOrEqual(2);
    expect(data.sessions.length).toBeGreaterThanOrEqual(1);
    expect(data.cases.map((c) => c.id)).toEqual([mine.id]);
    const [c] = data.cases;
    expect(c!.description).toContain('SENTINEL-MINE');
    expect(c!.location).toEqual({ lat: 46.81, lon: -71.21, accuracyM: 12 });
    expect(c!.photos).toHaveLength(2);
    expect(c!.photos[0]!.url).toBe(`/api/escalations/${mine.id}/photos/0`);
    expect(c!.answer?.diagnosisSlug).toBe('potato_late_blight');
    expect(c!.rating?.score).toBe(4);
    expect(c!.messages.map((m) => m.fromOwner)).toEqual([true, false]);
    expect(c!.messages[0]!.photos).toHaveLength(1);
    expect(c!.locationAccess.map((a) => a.role)).toEqual(['specialist']);
    // My device report and the detection my answered case confirmed.
    expect(data.detections.map((d) => `${d.source}:${d.slug}`).sort()).toEqual([
      'confirmed:potato_late_blight',
      'device:potato_late_blight',
    ]);
    expect(data.alertSubscriptions.map((s) => s.regionCode)).toEqual(['07']);
    expect(data.notifications.map((n) => n.kind)).toEqual(
      expect.arrayContaining(['message', 'answer']),
    );
    // The photo URLs work for me.
    expect((await w.call('GET', c!.photos[0]!.url, w.as.producer)).statusCode).toBe(200);
    // Nothing of the other producer, no credentials.
    for (const forbidden of [
      'SENTINEL-THEIRS',
      theirs.id,
      EXTRA.other,
      w.ids.other,
      '$argon2',
      'passwordHash',
      'password_hash',
      'token',
    ]) {
      expect(text).not.toContain(forbidden);
    }
  });

  it('export requires a session', async () => {
    expectError(await w.call('GET', '/api/privacy/export'), 401, 'UNAUTHENTICATED');
  });

  it('delete: a wrong password changes nothing (403 WRONG_PASSWORD); bad bodies 400', async () => {
    const before = await rowsOf(w, w.ids.producer);
    expectError(
      await w.call('POST', '/api/privacy/delete', w.as.producer, { password: 'not-my-password' }),
      403,
      'WRONG_PASSWORD',
    );
    expectError(
      await w.call('POST', '/api/privacy/delete', w.as.producer, {}),
      400,
      'VALIDATION_ERROR',
    );
    expectError(
      await w.call('POST', '/api/privacy/delete', undefined, { password: 'x' }),
      401,
      'UNAUTHENTICATED',
    );
    expect(await rowsOf(w, w.ids.producer)).toEqual(before);
  });

  it('delete: removes every row of mine and my stored photos, leaves the other producer intact', async () => {
    const media = w.t.app.media.store;
    const keysOf = async (userId: string) =>
      (
        await w.t.app.db.query<{ media_key: string }>(
          `SELECT p.media_key FROM escalation_photos p JOIN escalations e ON e.id = p.escalation_id
            WHERE e.user_id = $1
           UNION SELECT mp.media_key FROM escalation_message_photos mp
             JOIN escalation_messages m ON m.id = mp.message_id
             JOIN escalations e ON e.id = m.escalation_id WHERE e.user_id = $1`,
          [userId],
        )
      ).map((r) => r.media_key);
    const files = (keys: string[]) =>
      keys.flatMap((k) => (Object.keys(VARIANTS) as Variant[]).map((v) => variantKey(k, v)));
    const existing = async (keys: string[]) => {
      const out: string[] = [];
      for (const f of files(keys)) if (await media.has(f)) out.push(f);
      return out;
    };

    const myKeys = await keysOf(w.ids.producer);
    const theirKeys = await keysOf(w.ids.other);
    expect(myKeys).toHaveLength(3); // 2 case photos + 1 thread photo
    // Thumbnails and icons exist once viewed: make them, so their deletion is checked too.
    for (const key of [...myKeys, ...theirKeys]) {
      for (const variant of ['thumb', 'icon'] as const) await w.t.app.media.open(key, variant);
    }
    expect(await existing(myKeys)).toHaveLength(9);
    const mineBefore = await rowsOf(w, w.ids.producer);
    const theirsBefore = await rowsOf(w, w.ids.other);
    for (const [table, n] of Object.entries(mineBefore)) {
      expect(n, `${table} before`).toBeGreaterThan(0);
    }
    const detections = async (source: string) =>
      (
        await w.t.app.db.one<{ n: number }>(
          'SELECT COUNT(*)::int AS n FROM detections WHERE source = $1',
          [source],
        )
      ).n;
    const rollup = async () =>
      // Whatever its columns: every row as text.
      w.t.app.db.query('SELECT row_to_json(d)::text AS r FROM detection_weekly d ORDER BY 1');
    const [deviceBefore, confirmedBefore, rollupBefore] = [
      await detections('device'),
      await detections('confirmed'),
      await rollup(),
    ];
    expect(rollupBefore.length).toBeGreaterThan(0);

    const res = await w.call('POST', '/api/privacy/delete', w.as.producer, {
      password: DEMO_PASSWORD,
    });
    expect(res.statusCode, res.body).toBe(204);
    expect(res.cookies.find((c) => c.name === 'phytodiag_session')?.value).toBe('');

    const mineAfter = await rowsOf(w, w.ids.producer);
    expect(
      Object.values(mineAfter).every((n) => n === 0),
      JSON.stringify(mineAfter),
    ).toBe(true);
    expect(await rowsOf(w, w.ids.other)).toEqual(theirsBefore);
    // My device report is gone; my case's confirmed detection stays, unlinked; the weekly
    // counts (what every dashboard reads) are unchanged.
    expect(await detections('device')).toBe(deviceBefore - 1);
    expect(await detections('confirmed')).toBe(confirmedBefore);
    expect(await rollup()).toEqual(rollupBefore);
    expect(await existing(myKeys)).toEqual([]);
    expect(await existing(theirKeys)).toHaveLength(9);

    expectError(await w.call('GET', '/api/auth/me', w.as.producer), 401, 'UNAUTHENTICATED');
    const relogin = await w.call('POST', '/api/auth/login', undefined, {
      email: 'producteur@demo.local',
      password: DEMO_PASSWORD,
    });
    expectError(relogin, 401, 'INVALID_CREDENTIALS');
    // The other producer still works normally.
    expect((await w.call('GET', `/api/escalations/${theirs.id}`, w.as.other)).statusCode).toBe(200);
    expect(await login(w.t.app, EXTRA.other, USER_PASSWORD)).toMatch(/^phytodiag_session=/);
  });

  it('delete: staff whose work is part of other people’s cases are anonymised, their work stays', async () => {
    const c = await w.newCase(w.as.other);
    expect((await w.answer(c.id, 'potato_late_blight')).statusCode).toBe(200);
    const said = await w.call('POST', `/api/escalations/${c.id}/messages`, w.as.specialist, {
      body: 'Envoyez-nous un échantillon.',
    });
    expect(said.statusCode, said.body).toBe(201);
    const before = await rowsOf(w, w.ids.specialist);
    expect(before.messages_written).toBeGreaterThan(0);
    // A case they took and had not answered yet when they left.
    const taken = await w.newCase(w.as.gardener);
    const claim = await w.call('POST', `/api/escalations/${taken.id}/claim`, w.as.specialist);
    expect(claim.statusCode, claim.body).toBe(200);

    const res = await w.call('POST', '/api/privacy/delete', w.as.specialist, {
      password: DEMO_PASSWORD,
    });
    expect(res.statusCode, res.body).toBe(204);
    // The row stays for the records that point at it, with nothing that identifies the person.
    const row = await w.t.app.db.one<{ email: string; display_name: string | null }>(
      'SELECT email, display_name FROM users WHERE id = $1',
      [w.ids.specialist],
    );
    expect(row.email).toBe(`deleted-${w.ids.specialist}@phytodiag.invalid`);
    expect(row.display_name).toBeNull();
    const after = await rowsOf(w, w.ids.specialist);
    expect([after.sessions, after.notifications, after.consent_events]).toEqual([0, 0, 0]);
    expect(after.messages_written).toBe(before.messages_written);
    expectError(await w.call('GET', '/api/auth/me', w.as.specialist), 401, 'UNAUTHENTICATED');
    expectError(
      await w.t.app.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { email: 'specialiste@demo.local', password: DEMO_PASSWORD },
      }),
      401,
      'INVALID_CREDENTIALS',
    );
    // The producer still reads the answer and the message, from « the lab ».
    const seen = (await w.call('GET', `/api/escalations/${c.id}`, w.as.other)).json() as Escalation;
    expect(seen.answer?.diagnosisSlug).toBe('potato_late_blight');
    expect(seen.answer?.specialistName).toBeNull();
    const thread = await w.call('GET', `/api/escalations/${c.id}/messages`, w.as.other);
    const messages = (
      thread.json() as { items: { body: string; author: { name: string | null } }[] }
    ).items;
    expect(messages.map((m) => [m.body, m.author.name])).toEqual([
      ['Envoyez-nous un échantillon.', null],
    ]);
    // Their open case is nobody's: a colleague answers it without taking it over from a ghost.
    const answered = await w.answer(taken.id, 'potato_late_blight', w.as.admin);
    expect(answered.statusCode, answered.body).toBe(200);
  });
});
