import Dexie from 'dexie';
import type { Escalation } from '@phytodiag/api/contract';
import { afterEach, describe, expect, it } from 'vitest';
import { PhytoDb } from '../src/db/db';
import { refreshMyCase, saveMyCases, setDeviceConsent, toMyCase } from '../src/outbox/my-cases';
import { AUTH_REQUIRED } from '../src/outbox/queue-sender';
import { keepRating, queuedRatingOf, ratingQueue } from '../src/outbox/rating-outbox';
import { flushRatings, sendRatingNow } from '../src/outbox/rating-sender';
import { anEscalation, ID } from './escalation-fixture';

let db: PhytoDb;
afterEach(async () => {
  db.close();
  await Dexie.delete(db.name);
});

const ME = 'producer-1';

async function newDb(): Promise<PhytoDb> {
  db = new PhytoDb(`rating-outbox-${crypto.randomUUID()}`);
  await db.myCases.put({ ...toMyCase(anEscalation()), messages: [] });
  return db;
}

type Step = 'ok' | 'drop' | 'lose-answer' | 'read-fails' | 401 | 503 | 'not-answered';

/**
 * Rates a case once, as the API does: a second rating is 409 ALREADY_RATED; the case read after
 * it carries the rating the server kept. `script` decides each POST in turn; after it, they
 * succeed. Reads (GET of the case) succeed unless the step says otherwise.
 */
function fakeApi(script: Step[] = []) {
  let rating: Escalation['rating'] = null;
  let readFails = false;
  const posts: { score: number; comment?: string; status: number }[] = [];
  const json = (status: number, body: unknown) =>
    new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
  const refuse = (status: number, code: string) =>
    json(status, { error: { code, message: `refusé (${code})` } });
  const impl: typeof fetch = async (input, init) => {
    const url = String(input);
    if (init?.method !== 'POST') {
      if (readFails) throw new TypeError('Failed to fetch');
      return url.endsWith(`/api/escalations/${ID}`)
        ? json(200, anEscalation({ rating }))
        : json(404, { error: { code: 'NOT_FOUND', message: 'introuvable' } });
    }
    const body = JSON.parse(String(init.body)) as { score: number; comment?: string };
    const step = script.shift() ?? 'ok';
    readFails = step === 'read-fails';
    if (step === 'drop') throw new TypeError('Failed to fetch');
    const reply = (res: Response) => {
      posts.push({ ...body, status: res.status });
      return res;
    };
    if (step === 401) return reply(refuse(401, 'UNAUTHENTICATED'));
    if (step === 503) return reply(refuse(503, 'UNAVAILABLE'));
    if (step === 'not-answered') return reply(refuse(409, 'NOT_ANSWERED_YET'));
    if (rating) return reply(refuse(409, 'ALREADY_RATED'));
    rating = { score: body.score, comment: body.comment ?? null, at: new Date().toISOString() };
    const res = reply(json(200, anEscalation({ rating })));
    // The server rated it, but the answer never reached the phone.
    if (step === 'lose-answer') throw new TypeError('Failed to fetch');
    return res;
  };
  return { impl, posts, rating: () => rating };
}

const rate = (score: number, comment = '', opts: Parameters<typeof keepRating>[2] = {}) =>
  keepRating(db, { userId: ME, escalationId: ID, score, comment }, opts);
const onDevice = async () => (await db.myCases.get(ID))?.rating ?? null;

describe('ratings given on the device', () => {
  it('go when the network returns, and the case on the device is rated in the same step', async () => {
    await newDb();
    await rate(4, 'Clair et rapide.');
    expect(await queuedRatingOf(db, ME, ID)).toMatchObject({ score: 4, state: 'queued' });

    const api = fakeApi();
    const report = await flushRatings(db, ME, { fetchImpl: api.impl });
    expect(report).toMatchObject({ failed: 0, stopped: null });
    expect(api.posts).toEqual([{ score: 4, comment: 'Clair et rapide.', status: 200 }]);
    expect(await db.ratingOutbox.count()).toBe(0);
    expect(await onDevice()).toMatchObject({ score: 4, comment: 'Clair et rapide.' });
  });

  it('no comment sends none (the API takes an absent one, not an empty one)', async () => {
    await newDb();
    await rate(2);
    const api = fakeApi();
    await flushRatings(db, ME, { fetchImpl: api.impl });
    expect(api.posts).toEqual([{ score: 2, status: 200 }]);
  });

  it('a lost answer: the resend meets ALREADY_RATED, which means done, once', async () => {
    await newDb();
    await rate(5);
    const api = fakeApi(['lose-answer']);
    const first = await flushRatings(db, ME, { fetchImpl: api.impl, now: Date.now() });
    expect(first.stopped).toBe('network');
    expect(await queuedRatingOf(db, ME, ID)).toMatchObject({ state: 'failed', attempts: 1 });
    expect(await onDevice()).toBeNull();

    const again = await flushRatings(db, ME, { fetchImpl: api.impl, force: true });
    expect(again).toMatchObject({ failed: 0, stopped: null });
    expect(api.posts.map((p) => p.status)).toEqual([200, 409]);
    expect(await db.ratingOutbox.count()).toBe(0);
    expect(await onDevice()).toMatchObject({ score: 5 });
  });

  it('ALREADY_RATED while the case cannot be read: kept, and done at the next try', async () => {
    await newDb();
    await rate(3);
    const api = fakeApi(['lose-answer', 'read-fails']);
    await flushRatings(db, ME, { fetchImpl: api.impl });
    await flushRatings(db, ME, { fetchImpl: api.impl, force: true });
    expect(await queuedRatingOf(db, ME, ID)).toMatchObject({ state: 'failed', attempts: 2 });
    await flushRatings(db, ME, { fetchImpl: api.impl, force: true });
    expect(await db.ratingOutbox.count()).toBe(0);
    expect(await onDevice()).toMatchObject({ score: 3 });
  });

  it('the server failing or no network: kept with a backoff, not tried again before it', async () => {
    await newDb();
    await rate(4);
    const now = Date.parse('2026-07-01T12:00:00.000Z');
    const api = fakeApi([503]);
    await flushRatings(db, ME, { fetchImpl: api.impl, now });
    const row = await queuedRatingOf(db, ME, ID);
    expect(row).toMatchObject({ state: 'failed', permanentError: false, attempts: 1 });
    expect(Date.parse(row?.nextAttemptAt ?? '')).toBeGreaterThan(now);
    await flushRatings(db, ME, { fetchImpl: api.impl, now: now + 1_000 });
    expect(api.posts).toHaveLength(1);
  });

  it('refused for good (NOT_ANSWERED_YET): kept with why, sent again on request only', async () => {
    await newDb();
    await rate(1, 'Toujours malade.');
    const api = fakeApi(['not-answered']);
    const report = await flushRatings(db, ME, { fetchImpl: api.impl });
    expect(report).toMatchObject({ failed: 1, stopped: null });
    const row = await queuedRatingOf(db, ME, ID);
    expect(row).toMatchObject({ permanentError: true, lastError: 'refusé (NOT_ANSWERED_YET)' });

    await flushRatings(db, ME, { fetchImpl: api.impl, force: true });
    expect(api.posts).toHaveLength(1);
    await ratingQueue.retry(db, row?.clientId ?? '');
    await flushRatings(db, ME, { fetchImpl: api.impl });
    expect(await onDevice()).toMatchObject({ score: 1, comment: 'Toujours malade.' });
  });

  it('signed out meanwhile: back in the queue untried, marked for sign-in', async () => {
    await newDb();
    await rate(4);
    const api = fakeApi([401]);
    const report = await flushRatings(db, ME, { fetchImpl: api.impl });
    expect(report.stopped).toBe('auth');
    expect(await queuedRatingOf(db, ME, ID)).toMatchObject({
      state: 'queued',
      attempts: 0,
      lastError: AUTH_REQUIRED,
    });
  });

  it('another account’s rating stays on the device, unsent and out of its sight', async () => {
    await newDb();
    await keepRating(db, { userId: 'someone-else', escalationId: ID, score: 2, comment: '' });
    const api = fakeApi();
    await flushRatings(db, ME, { fetchImpl: api.impl });
    expect(api.posts).toEqual([]);
    expect(await queuedRatingOf(db, ME, ID)).toBeNull();
    expect(await queuedRatingOf(db, 'someone-else', ID)).toMatchObject({ score: 2 });
  });

  it('a page that died mid-send: its rating goes again, once', async () => {
    await newDb();
    await rate(5, '', { state: 'sending', now: Date.now() - 10 * 60_000 });
    const api = fakeApi();
    await flushRatings(db, ME, { fetchImpl: api.impl });
    expect(api.posts).toHaveLength(1);
    expect(await onDevice()).toMatchObject({ score: 5 });
  });

  it('the form’s send: refused for good, nothing kept (the form says why); no network, kept', async () => {
    await newDb();
    const refused = await rate(2, '', { state: 'sending' });
    const out = await sendRatingNow(db, refused, fakeApi(['not-answered']).impl);
    expect(out).toMatchObject({ kind: 'refused', code: 'NOT_ANSWERED_YET' });
    expect(await db.ratingOutbox.count()).toBe(0);

    const kept = await rate(2, '', { state: 'sending' });
    expect((await sendRatingNow(db, kept, fakeApi(['drop']).impl)).kind).toBe('unreachable');
    expect(await queuedRatingOf(db, ME, ID)).toMatchObject({ state: 'failed', attempts: 1 });
  });

  it('the form’s send, its author gone meanwhile: a refusal keeps the rating, saying why', async () => {
    await newDb();
    const refused = await rate(2, 'Bien', { state: 'sending' });
    await sendRatingNow(db, refused, fakeApi(['not-answered']).impl, () => false);
    expect(await queuedRatingOf(db, ME, ID)).toMatchObject({
      clientId: refused.clientId,
      state: 'failed',
      permanentError: true,
    });
  });

  it('« Supprimer » takes back a rating not sent, never one being sent', async () => {
    await newDb();
    const sending = await rate(3, '', { state: 'sending' });
    expect(await ratingQueue.discard(db, sending.clientId)).toBe(false);
    await ratingQueue.release(db, sending.clientId);
    expect(await ratingQueue.discard(db, sending.clientId)).toBe(true);
    expect(await queuedRatingOf(db, ME, ID)).toBeNull();
  });

  it('a read of the case that left before the rating landed does not take it back', async () => {
    await newDb();
    // The case screen reads the case again as the network returns, while the queue sends the
    // rating: the read's answer, without the rating, comes back last.
    const before = anEscalation();
    await rate(5);
    await flushRatings(db, ME, { fetchImpl: fakeApi().impl });
    expect(await onDevice()).toMatchObject({ score: 5 });
    const staleRead: typeof fetch = async (input) =>
      new Response(JSON.stringify(String(input).endsWith('/messages') ? { items: [] } : before), {
        headers: { 'content-type': 'application/json' },
      });
    await refreshMyCase(db, ID, staleRead);
    expect(await onDevice()).toMatchObject({ score: 5 });
    // The list's read (« Mes demandes ») neither.
    await saveMyCases(db, [before], Date.now());
    expect(await onDevice()).toMatchObject({ score: 5 });
    // Everything else is the server's: a case closed since reads closed.
    await saveMyCases(db, [anEscalation({ status: 'closed' })], Date.now());
    expect(await db.myCases.get(ID)).toMatchObject({ status: 'closed', rating: { score: 5 } });
  });

  it('a read that left before the owner withdrew the photo-reuse consent does not show it given', async () => {
    await newDb();
    const given = anEscalation({ consentPhotoReuse: true });
    await saveMyCases(db, [given], Date.now());
    // The case screen's read leaves; the owner withdraws the consent; the read comes back.
    let answer = () => {};
    const answered = new Promise<void>((resolve) => (answer = resolve));
    const staleRead: typeof fetch = async (input) => {
      await answered;
      const body = String(input).endsWith('/messages') ? { items: [] } : given;
      return new Response(JSON.stringify(body), {
        headers: { 'content-type': 'application/json' },
      });
    };
    const listReadAt = Date.now();
    const reading = refreshMyCase(db, ID, staleRead);
    await setDeviceConsent(db, ID, false);
    answer();
    await reading;
    expect((await db.myCases.get(ID))?.consentPhotoReuse).toBe(false);
    // The list's read, left before the change too, neither.
    await saveMyCases(db, [given], listReadAt);
    expect((await db.myCases.get(ID))?.consentPhotoReuse).toBe(false);
    // A read that left after the change is the server's word: given again from another device.
    await new Promise((resolve) => setTimeout(resolve, 2));
    await saveMyCases(db, [given], Date.now());
    expect((await db.myCases.get(ID))?.consentPhotoReuse).toBe(true);
  });
});
