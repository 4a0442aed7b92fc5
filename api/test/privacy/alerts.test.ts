import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Writable } from 'node:stream';
import type { AlertSubscription } from '../../src/contract/surveillance';
import type { NotificationList } from '../../src/contract/lab';
import { expectError, login, register } from '../helpers/http';
import { decodeQuotedPrintable, startSmtp, waitFor } from '../helpers/smtp';
import {
  createPrivacyWorld,
  EXTRA,
  USER_PASSWORD,
  type PrivacyWorld,
  type Who,
} from './privacy-world';

const notificationsOf = async (w: PrivacyWorld, who: Who) =>
  (await w.call('GET', '/api/notifications', w.as[who])).json() as NotificationList;
const alertsOf = async (w: PrivacyWorld, who: Who) =>
  (await notificationsOf(w, who)).items.filter((n) => n.kind === 'alert');

/** One case per owner, in order, each answered `slug` by the specialist. */
async function confirmOn(
  w: PrivacyWorld,
  owners: readonly Who[],
  slug: string,
  overrides: Record<string, unknown> = {},
) {
  for (const who of owners) {
    const c = await w.newCase(w.as[who], overrides);
    const res = await w.answer(c.id, slug);
    expect(res.statusCode, res.body).toBe(200);
  }
}

const subscribe = async (w: PrivacyWorld, who: Who, body: Record<string, unknown>) => {
  const res = await w.call('POST', '/api/alerts/subscriptions', w.as[who], body);
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as AlertSubscription;
};

describe('alert subscriptions and fan-out', () => {
  let w: PrivacyWorld;
  let smtp: Awaited<ReturnType<typeof startSmtp>>;

  beforeAll(async () => {
    smtp = await startSmtp();
    w = await createPrivacyWorld({
      SMTP_URL: smtp.url,
      MAIL_FROM: 'Phytodiag <lab@phytodiag.test>',
    });
    // Every e-mail this suite counts is an alert: the answers' own e-mail to their requester
    // (case-update-mail.test.ts) is turned off.
    for (const cookie of Object.values(w.as)) {
      const res = await w.call('PATCH', '/api/auth/me', cookie, { mailCaseUpdates: false });
      expect(res.statusCode).toBe(200);
    }
  });
  afterAll(async () => {
    await w.close();
    await smtp.close();
  });

  it('subscriptions: create, idempotent re-create, list own only, delete own only', async () => {
    const a = await subscribe(w, 'far', { regionCode: '09', crop: 'Bleuet' });
    expect(a).toMatchObject({ regionCode: '09', crop: 'Bleuet', email: false });
    // Same region and crop (case and spaces aside): the same subscription, e-mail choice updated.
    const again = await w.call('POST', '/api/alerts/subscriptions', w.as.far, {
      regionCode: '09',
      crop: '  bleuet ',
      email: true,
    });
    expect(again.statusCode).toBe(200);
    expect(again.json()).toMatchObject({ id: a.id, email: true });
    const list = (await w.call('GET', '/api/alerts/subscriptions', w.as.far)).json() as {
      items: AlertSubscription[];
      mailEnabled: boolean;
    };
    expect(list.items.map((s) => s.id)).toEqual([a.id]);
    // This server has SMTP_URL: the app may offer « Aussi par courriel ».
    expect(list.mailEnabled).toBe(true);
    expect(
      ((await w.call('GET', '/api/alerts/subscriptions', w.as.other)).json() as { items: [] })
        .items,
    ).toEqual([]);
    // Someone else's id is not found, and stays.
    expectError(
      await w.call('DELETE', `/api/alerts/subscriptions/${a.id}`, w.as.other),
      404,
      'NOT_FOUND',
    );
    expect((await w.call('DELETE', `/api/alerts/subscriptions/${a.id}`, w.as.far)).statusCode).toBe(
      204,
    );
    expectError(
      await w.call('DELETE', `/api/alerts/subscriptions/${a.id}`, w.as.far),
      404,
      'NOT_FOUND',
    );
  });

  it('subscriptions: bad input → 400, anonymous → 401, no such id → 404', async () => {
    expectError(
      await w.call('POST', '/api/alerts/subscriptions', w.as.far, { regionCode: '18' }),
      400,
      'VALIDATION_ERROR',
    );
    expectError(
      await w.call('POST', '/api/alerts/subscriptions', w.as.far, { regionCode: '03', crop: '' }),
      400,
      'VALIDATION_ERROR',
    );
    expectError(
      await w.call('POST', '/api/alerts/subscriptions', w.as.far, { regionCode: '03', x: 1 }),
      400,
      'VALIDATION_ERROR',
    );
    expectError(await w.call('GET', '/api/alerts/subscriptions'), 401, 'UNAUTHENTICATED');
    expectError(
      await w.call('DELETE', '/api/alerts/subscriptions/not-a-uuid', w.as.far),
      404,
      'NOT_FOUND',
    );
  });

  it('a confirmation alerts nobody until the cell is confirmed on 3 distinct farms, then matching subscribers once, never the owner', async () => {
    await subscribe(w, 'other', { regionCode: '03' }); // every crop
    await subscribe(w, 'gardener', { regionCode: '03', crop: ' pomme DE terre ', email: true });
    await subscribe(w, 'far', { regionCode: '05' }); // wrong region
    await subscribe(w, 'agronomist', { regionCode: '03', crop: 'Tomate' }); // wrong crop
    await subscribe(w, 'producer', { regionCode: '03', email: true });
    // A fourth farm, subscribed too: it sends the case that makes the cell public.
    await register(w.t.app, 'third@example.com');
    const third = await login(w.t.app, 'third@example.com', USER_PASSWORD);
    const res3 = await w.call('POST', '/api/alerts/subscriptions', third, { regionCode: '03' });
    expect(res3.statusCode).toBe(201);
    const thirdAlerts = async () =>
      ((await w.call('GET', '/api/notifications', third)).json() as NotificationList).items.filter(
        (n) => n.kind === 'alert',
      );
    const nobodyAlerted = async () => {
      for (const who of ['other', 'gardener', 'far', 'agronomist', 'producer'] as const) {
        expect(await alertsOf(w, who), who).toHaveLength(0);
      }
    };

    // One farm's two cases are one farm: an alert now would tell every stranger subscribed to
    // the region that a farm there has late blight.
    for (let i = 0; i < 2; i += 1) {
      const c = await w.newCase(w.as.producer, {
        description: 'SENTINEL-DESCRIPTION chez moi',
        crop: 'Patates – ferme SENTINEL-FARM, rang 4',
        location: { lat: 46.8123, lon: -71.2456, accuracyM: 5 },
      });
      expect((await w.answer(c.id, 'potato_late_blight')).statusCode).toBe(200);
    }
    await nobodyAlerted();
    // A second farm: still under the public threshold.
    const second = await w.newCase(w.as.far);
    expect((await w.answer(second.id, 'potato_late_blight')).statusCode).toBe(200);
    await nobodyAlerted();
    expect(smtp.received).toHaveLength(0);

    // The third farm makes the cell public: the alert goes out.
    const c = await w.newCase(third, { crop: 'Pomme de terre' });
    const res = await w.answer(c.id, 'potato_late_blight');
    expect(res.statusCode, res.body).toBe(200);

    const [other] = await alertsOf(w, 'other');
    expect(other).toBeDefined();
    expect(other!.escalationId).toBeNull();
    expect(other!.alert).toEqual({
      slug: 'potato_late_blight',
      regionCode: '03',
      crop: 'Pomme de terre',
      week: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/),
    });
    expect(new Date(`${other!.alert!.week}T12:00:00Z`).getUTCDay()).toBe(1); // a Monday
    expect(other!.crop).toBe('Pomme de terre');
    // Nothing that points at a case, its owner or its location.
    const text = JSON.stringify(await notificationsOf(w, 'other'));
    for (const secret of [c.id, w.ids.producer, 'SENTINEL', '46.81', '71.24', 'producteur']) {
      expect(text).not.toContain(secret);
    }
    expect(await alertsOf(w, 'gardener')).toHaveLength(1);
    // An earlier contributor subscribed to the region hears of it like anyone.
    expect(await alertsOf(w, 'producer')).toHaveLength(1);
    expect(await alertsOf(w, 'far')).toHaveLength(0);
    expect(await alertsOf(w, 'agronomist')).toHaveLength(0);
    // The owner of the case that crossed the threshold gets their answer, not an alert.
    expect(await thirdAlerts()).toHaveLength(0);
    expect((await notificationsOf(w, 'producer')).items.map((n) => n.kind)).toContain('answer');

    // The gardener and the producer asked for e-mail: the messages really went through SMTP.
    const mail = await waitFor(() => smtp.received.find((m) => m.to.includes(EXTRA.gardener)));
    const body = decodeQuotedPrintable(mail.data);
    expect(body).toContain('Un spécialiste du laboratoire a confirmé');
    expect(body).toContain('(Pomme de terre)');
    expect(body).toContain('région 03');
    expect(mail.data).toMatch(/From: Phytodiag <lab@phytodiag\.test>/);
    expect(mail.data).not.toContain('SENTINEL');
    expect(mail.data).not.toContain('46.81');
    await waitFor(() => smtp.received.find((m) => m.to.includes('producteur@demo.local')));
    await new Promise((r) => setTimeout(r, 300));
    expect(smtp.received.filter((m) => m.to.includes(EXTRA.other))).toHaveLength(0);
  });

  it('further confirmations of the same class, region and week do not alert again', async () => {
    const mails = smtp.received.length;
    const c = await w.newCase(w.as.gardener, { regionCode: '03' });
    expect((await w.answer(c.id, 'potato_late_blight')).statusCode).toBe(200);
    expect(await alertsOf(w, 'other')).toHaveLength(1);
    expect(await alertsOf(w, 'gardener')).toHaveLength(1);
    expect(await alertsOf(w, 'producer')).toHaveLength(1);
    await new Promise((r) => setTimeout(r, 300));
    expect(smtp.received).toHaveLength(mails);
  });

  it('another class in the same region alerts from 3 farms on; a free-text diagnosis never', async () => {
    await confirmOn(w, ['producer', 'far', 'gardener'], 'potato_early_blight');
    expect((await alertsOf(w, 'other')).map((n) => n.alert?.slug).sort()).toEqual([
      'potato_early_blight',
      'potato_late_blight',
    ]);
    for (const who of ['producer', 'far', 'gardener'] as const) {
      const d = await w.newCase(w.as[who], { crop: 'Maïs' });
      expect((await w.answer(d.id, 'other')).statusCode).toBe(200);
    }
    expect(await alertsOf(w, 'other')).toHaveLength(2);
  });

  it('a case with a location but no region code counts in, and alerts, the region of its location', async () => {
    await subscribe(w, 'far', { regionCode: '06' });
    // Montréal (region 06), no regionCode given by the device.
    await confirmOn(w, ['producer', 'other', 'gardener'], 'tomato_late_blight', {
      regionCode: undefined,
      location: { lat: 45.5017, lon: -73.5673, accuracyM: 20 },
      crop: 'Tomate',
    });
    const alerts = await alertsOf(w, 'far');
    expect(alerts.map((n) => n.alert)).toEqual([
      expect.objectContaining({ slug: 'tomato_late_blight', regionCode: '06', crop: 'Tomate' }),
    ]);
  });

  it('marking alerts read works like any notification', async () => {
    const list = await notificationsOf(w, 'other');
    expect(list.unread).toBeGreaterThan(0);
    const res = await w.call('POST', '/api/notifications/read', w.as.other, {});
    expect((res.json() as NotificationList).unread).toBe(0);
  });
});

describe('alert e-mail without SMTP_URL', () => {
  let w: PrivacyWorld;
  const lines: string[] = [];
  beforeAll(async () => {
    const logStream = new Writable({
      write(chunk: Buffer, _enc, done) {
        lines.push(chunk.toString('utf8'));
        done();
      },
    });
    w = await createPrivacyWorld({ LOG_LEVEL: 'info' }, { logStream });
  });
  afterAll(() => w.close());

  it('is logged (subject only, no address) and the answer succeeds', async () => {
    await subscribe(w, 'gardener', { regionCode: '03', email: true });
    await confirmOn(w, ['producer', 'other', 'far'], 'potato_late_blight');
    expect(await alertsOf(w, 'gardener')).toHaveLength(1);
    const logged = await waitFor(() => lines.find((l) => l.includes('SMTP_URL is not set')));
    expect(JSON.parse(logged)).toMatchObject({ level: 30, mail: { subject: expect.any(String) } });
    expect(logged).not.toContain('@');
  });
});

describe('alert e-mail with an unreachable SMTP server', () => {
  let w: PrivacyWorld;
  beforeAll(async () => {
    // Port 9 (discard) on localhost: nothing listens, the connection is refused.
    w = await createPrivacyWorld({ SMTP_URL: 'smtp://127.0.0.1:9' });
  });
  afterAll(() => w.close());

  it('never fails nor blocks the answer', async () => {
    await subscribe(w, 'gardener', { regionCode: '03', email: true });
    // confirmOn checks every answer succeeded.
    await confirmOn(w, ['producer', 'other', 'far'], 'potato_late_blight');
    expect(await alertsOf(w, 'gardener')).toHaveLength(1);
  });
});
