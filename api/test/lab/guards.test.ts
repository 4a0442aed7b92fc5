import { createHash, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Escalation, EscalationList } from '../../src/contract/escalation';
import { expectError, login, register } from '../helpers/http';
import { createLabWorld, type LabWorld } from './lab-world';
import { frenchFirstOfMonth } from '../../src/i18n/french-spacing';

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

describe('not drowning the specialists; the queue', () => {
  let w: LabWorld;
  beforeAll(async () => {
    w = await createLabWorld({ CASE_RATE_LIMIT_MAX: '4' });
  });
  afterAll(() => w.close());

  it('same photos as an open case → 409 DUPLICATE_CASE with its id; same clientId stays 200', async () => {
    const photos = [await w.photo(), await w.photo()];
    const clientId = randomUUID();
    const first = await w.createCase(w.as.gardener, { clientId }, photos);
    expect(first.statusCode).toBe(201);
    const id = (first.json() as Escalation).id;
    // Idempotent resubmission (outbox retry).
    const again = await w.createCase(w.as.gardener, { clientId }, photos);
    expect(again.statusCode).toBe(200);
    expect((again.json() as Escalation).id).toBe(id);
    // Same photos (any order), new clientId: duplicate.
    const dup = await w.createCase(w.as.gardener, {}, [photos[1] as Buffer, photos[0] as Buffer]);
    expectError(dup, 409, 'DUPLICATE_CASE');
    const body = dup.json() as { error: { message: string; details: { message: string }[] } };
    expect(body.error.details[0]?.message).toBe(id);
    // Named as the person knows it: their crop and the day they sent it, not a raw id.
    const day = (locale: string) =>
      new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeZone: 'America/Toronto' }).format(
        new Date((first.json() as Escalation).createdAt),
      );
    const crop = (first.json() as Escalation).crop;
    // French writes the first of the month « 1er » (french-spacing.test).
    const dayFr = frenchFirstOfMonth(day('fr-CA'));
    expect(body.error.message).toBe(
      `Ces photos sont déjà dans une demande encore ouverte\u00a0: ${crop}, du ${dayFr}. Ajoutez-y plutôt un message.`,
    );
    expect(dayFr).toMatch(/^(1er|\d{1,2}) \p{L}+ \d{4}$/u);

    // Another producer with the same photos is not a duplicate of someone else's case.
    expect((await w.createCase(w.as.other, {}, photos)).statusCode).toBe(201);
    // Sharing a photo is not being the same case: a subset or another set is new.
    const sorted = [...photos].sort((a, b) => sha256(a).localeCompare(sha256(b)));
    expect((await w.createCase(w.as.other, {}, [sorted[0] as Buffer])).statusCode).toBe(201);
    const another = [sorted[0] as Buffer, await w.photo()];
    expect((await w.createCase(w.as.other, {}, another)).statusCode).toBe(201);
    // Once closed, the photos may be sent again.
    await w.call('POST', `/api/escalations/${id}/close`, w.as.gardener);
    expect((await w.createCase(w.as.gardener, {}, photos)).statusCode).toBe(201);
  });

  it('rate-limits NEW cases per user with a clear localized message', async () => {
    // gardener already created 2 cases above; the limit is 4.
    expect((await w.createCase(w.as.gardener)).statusCode).toBe(201);
    expect((await w.createCase(w.as.gardener)).statusCode).toBe(201);
    const fr = await w.createCase(w.as.gardener);
    expectError(fr, 429, 'CASE_RATE_LIMITED');
    expect((fr.json() as { error: { message: string } }).error.message).toContain(
      'Vous avez déjà envoyé 4 dossiers au laboratoire au cours des 24 dernières heures',
    );
    const patch = await w.t.app.inject({
      method: 'PATCH',
      url: '/api/auth/me',
      headers: { cookie: w.as.gardener },
      payload: { language: 'en' },
    });
    expect(patch.statusCode).toBe(200);
    const en = await w.createCase(w.as.gardener);
    expect((en.json() as { error: { message: string } }).error.message).toContain(
      'You already sent 4 cases to the lab in the last 24 hours',
    );
    // Nothing was written for refused cases.
    const n = await w.t.app.db.one<{ n: number }>(
      `SELECT COUNT(*)::int AS n FROM escalations e JOIN users u ON u.id = e.user_id
        WHERE u.email = 'gardener@example.com'`,
    );
    expect(n.n).toBe(4);
    // Other users are not affected.
    expect((await w.createCase(w.as.producer)).statusCode).toBe(201);
  });

  it('queue: owed cases first, farms before gardens, least time left first; filters and counts', async () => {
    const { as, call } = w;
    const tomato = await w.newCase(as.producer, {
      crop: 'Tomate',
      regionCode: '16',
      prediction: {
        modelVersion: 'v',
        abstained: false,
        top: [{ slug: 'tomato_late_blight', p: 0.7 }],
      },
    });
    const list = async (qs = '') =>
      (await call('GET', `/api/escalations${qs}`, as.specialist)).json() as EscalationList;
    const all = await list();
    const owed = (e: Escalation) => ['received', 'in_review', 'sample_received'].includes(e.status);
    const firstNotOwed = all.items.findIndex((e) => !owed(e));
    expect(all.items.slice(firstNotOwed === -1 ? all.items.length : firstNotOwed).some(owed)).toBe(
      false,
    );
    const open = all.items.filter(owed);
    const firstGarden = open.findIndex((e) => e.profileKind === 'gardener');
    expect(firstGarden).toBeGreaterThan(0);
    expect(open.slice(firstGarden).every((e) => e.profileKind === 'gardener')).toBe(true);
    const farmDue = open.filter((e) => e.profileKind !== 'gardener').map((e) => e.dueAt ?? '');
    expect(farmDue).toEqual([...farmDue].sort());
    for (const e of open) {
      expect(e.dueAt).not.toBeNull();
      expect(e.overdue).toBe(Date.parse(e.dueAt ?? '') < Date.now());
      // At least 2 days (2 business days, weekends skipped) after reception.
      expect(Date.parse(e.dueAt ?? '') - Date.parse(e.createdAt)).toBeGreaterThanOrEqual(
        2 * 86_400_000,
      );
    }
    // counts per status over the whole (filtered) queue.
    const total = Object.values(all.counts ?? {}).reduce((s, n) => s + n, 0);
    expect(total).toBe(all.items.length);
    expect(all.counts?.closed).toBe(1);

    expect((await list('?crop=tomate')).items.map((e) => e.id)).toEqual([tomato.id]);
    // The library's other name for the crop finds it too (an English specialist types "Tomato").
    expect((await list('?crop=TOMATO')).items.map((e) => e.id)).toEqual([tomato.id]);
    expect((await list('?crop=Potato')).items.map((e) => e.id)).not.toContain(tomato.id);
    expect((await list('?regionCode=16')).items.map((e) => e.id)).toEqual([tomato.id]);
    expect((await list('?suggestion=tomato_late_blight')).items.map((e) => e.id)).toEqual([
      tomato.id,
    ]);
    expect((await list('?kind=insect')).items).toEqual([]);
    expect((await list('?kind=disease')).items.length).toBe(all.items.length);
    const closed = await list('?status=closed');
    expect(closed.items.every((e) => e.status === 'closed')).toBe(true);
    // Counts ignore the status filter (tabs keep their numbers).
    expect(closed.counts).toEqual(all.counts);
    expectError(
      await call('GET', '/api/escalations?status=nope', as.specialist),
      400,
      'VALIDATION_ERROR',
    );
    // A producer gets only their own cases, without counts.
    const mine = (await call('GET', '/api/escalations', as.producer)).json() as EscalationList;
    expect(mine.counts).toBeUndefined();
    expect(mine.items.every((e) => e.profileKind === 'producer')).toBe(true);
  });

  it('the lab corrects a self-declared requester profile, and the queue order follows', async () => {
    const { as, call } = w;
    // A gardener of their own: the one of the world used up its daily cases above.
    await register(w.t.app, 'maraicher@example.com', 'gardener');
    const market = await login(w.t.app, 'maraicher@example.com');
    const garden = await w.newCase(market, { crop: 'Pomme de terre' });
    const queue = async () =>
      (
        (
          await call('GET', '/api/escalations?status=received', as.specialist)
        ).json() as EscalationList
      ).items;
    const position = async () => {
      const items = await queue();
      return {
        at: items.findIndex((e) => e.id === garden.id),
        firstGarden: items.findIndex((e) => e.profileKind === 'gardener'),
      };
    };
    const before = await position();
    expect(before.at).toBeGreaterThanOrEqual(before.firstGarden);
    const put = (cookie: string, body: unknown, id = garden.id) =>
      call('PUT', `/api/escalations/${id}/requester-kind`, cookie, body);

    // A market gardener who picked « jardinier »: the specialist puts the case among the farms'.
    const fixed = await put(as.specialist, { profileKind: 'producer' });
    expect(fixed.statusCode).toBe(200);
    expect((fixed.json() as Escalation).profileKind).toBe('producer');
    const after = await position();
    expect(after.firstGarden === -1 || after.at < after.firstGarden).toBe(true);
    // The account's own profile is the person's: unchanged.
    const me = await w.t.app.inject({
      method: 'GET',
      url: '/api/auth/me',
      headers: { cookie: market },
    });
    expect((me.json() as { profileKind: string }).profileKind).toBe('gardener');

    // Staff only, a known profile, an existing case.
    expectError(await put(market, { profileKind: 'producer' }), 403, 'FORBIDDEN');
    expectError(await put(as.producer, { profileKind: 'producer' }), 403, 'FORBIDDEN');
    expectError(await put(as.specialist, { profileKind: 'farmer' }), 400, 'VALIDATION_ERROR');
    expectError(
      await put(as.specialist, { profileKind: 'producer' }, randomUUID()),
      404,
      'NOT_FOUND',
    );
    expect((await put(as.admin, { profileKind: 'gardener' })).statusCode).toBe(200);
  });

  it('marks a case overdue once the commitment has passed', async () => {
    const e = await w.newCase(w.as.producer);
    await w.t.app.db.query(
      `UPDATE escalations SET created_at = now() - interval '10 days' WHERE id = $1`,
      [e.id],
    );
    const seen = (
      await w.call('GET', `/api/escalations/${e.id}`, w.as.specialist)
    ).json() as Escalation;
    expect(seen.overdue).toBe(true);
    const queue = (
      await w.call('GET', '/api/escalations', w.as.specialist)
    ).json() as EscalationList;
    // The oldest farm case comes first.
    expect(queue.items[0]?.id).toBe(e.id);
  });

  it('the rate limit holds exactly when one user sends many cases at once', async () => {
    const countCases = async () =>
      (
        await w.t.app.db.one<{ n: number }>(
          `SELECT COUNT(*)::int AS n FROM escalations e JOIN users u ON u.id = e.user_id
            WHERE u.email = 'agronome@demo.local'`,
        )
      ).n;
    const room = 4 - (await countCases());
    expect(room).toBeGreaterThan(0);
    const photos = await Promise.all(Array.from({ length: room + 3 }, () => w.photo()));
    // All at once: each passes the early check, then waits for the user's lock (PostgreSQL) or
    // the exclusive transaction (PGlite), where the limit is checked again.
    const answers = await Promise.all(
      photos.map((photo) => w.createCase(w.as.agronomist, {}, [photo])),
    );
    const statuses = answers.map((a) => a.statusCode).sort();
    expect(statuses).toEqual([...Array(room).fill(201), ...Array(3).fill(429)]);
    expect(await countCases()).toBe(4);
  });
});
