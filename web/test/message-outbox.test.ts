import Dexie from 'dexie';
import type { EscalationMessage } from '@phytodiag/api/contract';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { PhytoDb } from '../src/db/db';
import type { MyCaseRow } from '../src/db/types';
import {
  discardQueuedMessage,
  keepMessage,
  messageQueue,
  queuedMessagesOf,
} from '../src/outbox/message-outbox';
import {
  earlierMessagesWait,
  flushMessages,
  sendInTurn,
  sendMessageNow,
} from '../src/outbox/message-sender';
import { AUTH_REQUIRED } from '../src/outbox/queue-sender';
import { INTERRUPTED } from '../src/outbox/outbox-repo';
import { fakeWebLocks } from './web-locks';
import { updateSettings } from '../src/db/settings';
import { SyncLater, syncAccountQueue } from '../src/pwa/sync-runs';

let db: PhytoDb;
afterEach(async () => {
  db.close();
  await Dexie.delete(db.name);
});

const ME = 'producer-1';
const CASE = '0b5f3a52-8f0e-4b8c-9d55-3d4c2a1b0c01';

async function newDb(status: MyCaseRow['status'] = 'answered'): Promise<PhytoDb> {
  db = new PhytoDb(`message-outbox-${crypto.randomUUID()}`);
  await db.myCases.put({
    id: CASE,
    clientId: null,
    createdAt: '2026-07-01T10:00:00.000Z',
    updatedAt: '2026-07-01T10:00:00.000Z',
    status,
    crop: 'Pomme de terre',
    description: '',
    answer: null,
    messages: [],
  });
  return db;
}

const photo = (byte: number) =>
  new Blob([new Uint8Array([0xff, 0xd8, byte])], { type: 'image/jpeg' });

/**
 * Keeps messages by (author, clientId) as the API does: a resend answers 200 with the message
 * already written. `script` decides each call in turn; after it, calls succeed. Other calls (the
 * case read again after a reopening) find no server: the sender must do without them.
 */
function fakeApi(script: ('drop' | 'lose-answer' | 401 | 409 | 429 | 503)[] = []) {
  const byClientId = new Map<string, EscalationMessage>();
  const calls: {
    clientId: string;
    body: string;
    writtenAt: string;
    photos: number;
    status: number;
  }[] = [];
  const impl: typeof fetch = async (input, init) => {
    const url = String(input);
    if (!url.endsWith('/messages') || init?.method !== 'POST')
      return new Response('{}', { status: 503 });
    let sent: { clientId: string; body: string; writtenAt: string; photos: number };
    if (init.body instanceof FormData) {
      sent = {
        clientId: String(init.body.get('clientId')),
        body: String(init.body.get('body')),
        writtenAt: String(init.body.get('writtenAt')),
        photos: init.body.getAll('photo').length,
      };
    } else {
      const json = JSON.parse(String(init.body)) as Omit<typeof sent, 'photos'>;
      sent = { ...json, photos: 0 };
    }
    const step = script.shift() ?? 'ok';
    const reply = (status: number, body: unknown) => {
      calls.push({ ...sent, status });
      return new Response(JSON.stringify(body), { status });
    };
    if (step === 'drop') throw new TypeError('Failed to fetch');
    if (typeof step === 'number') {
      const code = {
        401: 'UNAUTHENTICATED',
        409: 'CASE_CLOSED_TOO_LONG',
        429: 'MESSAGE_RATE_LIMITED',
        503: 'UNAVAILABLE',
      }[step];
      return reply(step, { error: { code, message: `refusé (${step})` } });
    }
    const existing = byClientId.get(sent.clientId);
    const message: EscalationMessage = existing ?? {
      id: crypto.randomUUID(),
      body: sent.body,
      fromOwner: true,
      author: { id: ME, name: 'Productrice démo', role: 'producer' },
      photos: [],
      createdAt: new Date().toISOString(),
      writtenAt: sent.writtenAt,
    };
    byClientId.set(sent.clientId, message);
    const res = reply(existing ? 200 : 201, message);
    // The server wrote it, but the answer never reached the phone.
    if (step === 'lose-answer') throw new TypeError('Failed to fetch');
    return res;
  };
  return { impl, calls, written: () => byClientId.size };
}

const thread = async () => ((await db.myCases.get(CASE))?.messages ?? []).map((m) => m.body);
const write = (body: string, opts: Parameters<typeof keepMessage>[2] = {}, photos: Blob[] = []) =>
  keepMessage(db, { userId: ME, escalationId: CASE, body, photos }, opts);

describe('thread messages written on the device', () => {
  it('go oldest first, with their clientId, and join the case’s thread on the device', async () => {
    await newDb();
    const a = await write('Les taches reviennent.', { now: 1_000 });
    const b = await write('Photo du dessous.', { now: 2_000 }, [photo(1), photo(2)]);
    const api = fakeApi();
    const report = await flushMessages(db, ME, { fetchImpl: api.impl });
    expect(report).toMatchObject({ failed: 0, stopped: null });
    // Each says when it was written on the device, for the lab (it may arrive hours later).
    expect(api.calls).toEqual([
      {
        clientId: a.clientId,
        body: 'Les taches reviennent.',
        writtenAt: new Date(1_000).toISOString(),
        photos: 0,
        status: 201,
      },
      {
        clientId: b.clientId,
        body: 'Photo du dessous.',
        writtenAt: new Date(2_000).toISOString(),
        photos: 2,
        status: 201,
      },
    ]);
    expect(await db.messageOutbox.count()).toBe(0);
    expect(await thread()).toEqual(['Les taches reviennent.', 'Photo du dessous.']);
    // Nothing left: the next run posts nothing.
    await flushMessages(db, ME, { fetchImpl: api.impl });
    expect(api.calls).toHaveLength(2);
  });

  it('a lost answer is sent again and the thread has the message once', async () => {
    await newDb();
    const row = await write('Écrit dans le champ.');
    const api = fakeApi(['lose-answer']);
    expect(await flushMessages(db, ME, { fetchImpl: api.impl })).toMatchObject({
      failed: 1,
      stopped: 'network',
    });
    expect(await db.messageOutbox.get(row.clientId)).toMatchObject({
      state: 'failed',
      attempts: 1,
      permanentError: false,
    });
    expect(await thread()).toEqual([]);
    // Backing off: the timer leaves it; the network coming back (force) sends it.
    await flushMessages(db, ME, { fetchImpl: api.impl });
    expect(api.calls).toHaveLength(1);
    await flushMessages(db, ME, { fetchImpl: api.impl, force: true });
    expect(api.calls.map((c) => c.status)).toEqual([201, 200]);
    expect(api.written()).toBe(1);
    expect(await thread()).toEqual(['Écrit dans le champ.']);
    // The page and the service worker both settling the same answer: still once.
    await sendMessageNow(db, { ...row }, api.impl);
    expect(await thread()).toEqual(['Écrit dans le champ.']);
  });

  it('back online while a sync runs: the forced run waits its turn and sends what the sync left', async () => {
    await newDb();
    const row = await write('Écrit sans réseau.');
    await flushMessages(db, ME, { fetchImpl: fakeApi(['drop']).impl });
    expect((await db.messageOutbox.get(row.clientId))?.state).toBe('failed');
    const locks = fakeWebLocks();
    vi.stubGlobal('navigator', { locks });
    try {
      // The service worker's Background Sync, unforced, took the queue first: it leaves the
      // message in its backoff.
      let syncEnds = () => {};
      const sync = locks.request('phytodiag-messages', {}, async () => {
        await flushMessages(db, ME, { fetchImpl: fakeApi().impl, now: Date.now() });
        await new Promise<void>((resolve) => (syncEnds = resolve));
      });
      const api = fakeApi();
      // The page's run for the network coming back (forced) waits instead of skipping.
      const back = flushMessages(db, ME, { fetchImpl: api.impl, force: true });
      await expect.poll(async () => (await locks.query()).pending).toHaveLength(1);
      syncEnds();
      await sync;
      expect((await back).sent).toHaveLength(1);
      expect(api.calls.map((c) => [c.clientId, c.status])).toEqual([[row.clientId, 201]]);
      expect(await db.messageOutbox.count()).toBe(0);
    } finally {
      vi.unstubAllGlobals();
    }
  });

  it('no network: the run stops at the first and the next waits untried', async () => {
    await newDb();
    const a = await write('Un.', { now: 1_000 });
    const b = await write('Deux.', { now: 2_000 });
    await flushMessages(db, ME, { fetchImpl: fakeApi(['drop']).impl });
    expect((await db.messageOutbox.get(a.clientId))?.attempts).toBe(1);
    expect(await db.messageOutbox.get(b.clientId)).toMatchObject({ state: 'queued', attempts: 0 });
  });

  it('written while earlier ones wait out a backoff, a message goes after them, in order', async () => {
    await newDb();
    const early = await write('Écrit sans réseau.', { now: 1_000 });
    await flushMessages(db, ME, { fetchImpl: fakeApi(['drop']).impl });
    expect((await db.messageOutbox.get(early.clientId))?.state).toBe('failed');
    // Back online, the requester writes again before the backoff is over.
    expect(await earlierMessagesWait(db, ME, CASE)).toBe(true);
    const later = await write('Et maintenant avec du réseau.', { state: 'queued' });
    const api = fakeApi();
    expect(await sendInTurn(db, later, api.impl)).toBe(true);
    expect(api.calls.map((c) => c.clientId)).toEqual([early.clientId, later.clientId]);
    expect(await thread()).toEqual(['Écrit sans réseau.', 'Et maintenant avec du réseau.']);
    expect(await earlierMessagesWait(db, ME, CASE)).toBe(false);
  });

  it('one refused for good does not hold back a new message, which goes at once', async () => {
    await newDb();
    const refused = await write('Trop tard.');
    await flushMessages(db, ME, { fetchImpl: fakeApi([409]).impl });
    expect(await db.messageOutbox.get(refused.clientId)).toMatchObject({ permanentError: true });
    expect(await earlierMessagesWait(db, ME, CASE)).toBe(false);
    // Still offline, the next one goes with the queue when it can: not sent, kept in order.
    const later = await write('Encore une question.', { state: 'queued' });
    expect(await sendInTurn(db, later, fakeApi(['drop']).impl)).toBe(false);
    expect((await queuedMessagesOf(db, ME, CASE)).map((r) => r.body)).toEqual([
      'Trop tard.',
      'Encore une question.',
    ]);
  });

  it('signed out: back in the queue without spending a try', async () => {
    await newDb();
    const row = await write('Après connexion.');
    const report = await flushMessages(db, ME, { fetchImpl: fakeApi([401]).impl });
    expect(report.stopped).toBe('auth');
    expect(await db.messageOutbox.get(row.clientId)).toMatchObject({
      state: 'queued',
      attempts: 0,
      lastError: AUTH_REQUIRED,
    });
  });

  it('refused by the server: kept with its reason and code, sent again only on request', async () => {
    await newDb('closed');
    const row = await write('Ça revient.');
    const api = fakeApi([409]);
    await flushMessages(db, ME, { fetchImpl: api.impl });
    expect(await db.messageOutbox.get(row.clientId)).toMatchObject({
      state: 'failed',
      permanentError: true,
      lastError: 'refusé (409)',
      errorCode: 'CASE_CLOSED_TOO_LONG',
    });
    await flushMessages(db, ME, { fetchImpl: api.impl, force: true });
    expect(api.calls).toHaveLength(1);
    await messageQueue.retry(db, row.clientId);
    await flushMessages(db, ME, { fetchImpl: api.impl });
    expect(api.calls).toHaveLength(2);
    // Sent on a closed case (reopened): the case could not be read again, the message is there.
    expect(await thread()).toEqual(['Ça revient.']);
  });

  it('past the requester’s limit: kept, saying why, and sent later by itself', async () => {
    await newDb();
    const row = await write('Encore une chose.');
    const api = fakeApi([429, 'drop']);
    await flushMessages(db, ME, { fetchImpl: api.impl });
    expect(await db.messageOutbox.get(row.clientId)).toMatchObject({
      state: 'failed',
      permanentError: false,
      lastError: 'refusé (429)',
      errorCode: 'MESSAGE_RATE_LIMITED',
    });
    // The next try finds no network: the reason shown is no longer the server's.
    await flushMessages(db, ME, { fetchImpl: api.impl, force: true });
    expect((await db.messageOutbox.get(row.clientId))?.errorCode).toBeUndefined();
    await flushMessages(db, ME, { fetchImpl: api.impl, force: true });
    expect(await thread()).toEqual(['Encore une chose.']);
    // Written in the form past the limit: the form says so and keeps the text; nothing waits.
    const now = await write('Et maintenant?', { state: 'sending' });
    expect(await sendMessageNow(db, now, fakeApi([429]).impl)).toMatchObject({
      kind: 'refused',
      code: 'MESSAGE_RATE_LIMITED',
    });
    expect(await db.messageOutbox.count()).toBe(0);
  });

  it('another account’s messages stay on the device for their author, and out of sight', async () => {
    await newDb();
    const theirs = await keepMessage(db, {
      userId: 'producer-2',
      escalationId: CASE,
      body: 'À moi.',
      photos: [],
    });
    const api = fakeApi();
    await flushMessages(db, ME, { fetchImpl: api.impl });
    expect(api.calls).toEqual([]);
    expect(await queuedMessagesOf(db, ME, CASE)).toEqual([]);
    expect(await queuedMessagesOf(db, 'producer-2', CASE)).toMatchObject([
      { clientId: theirs.clientId, state: 'queued' },
    ]);
  });

  it('a message whose page died mid-send is tried again at once, counting one try', async () => {
    await newDb();
    const now = Date.parse('2026-07-14T12:00:00Z');
    const cut = await write('Coupé.', { state: 'sending', now });
    // What start-up does once it holds the queue's lock alone (recoverInterruptedMessages).
    expect(await messageQueue.markInterrupted(db, now + 5_000)).toBe(1);
    expect(await db.messageOutbox.get(cut.clientId)).toMatchObject({
      state: 'failed',
      attempts: 1,
      lastError: INTERRUPTED,
    });
    await flushMessages(db, ME, { fetchImpl: fakeApi().impl });
    expect(await thread()).toEqual(['Coupé.']);
  });

  it('sent from the form: refused, it leaves the device (the form keeps the text)', async () => {
    await newDb('closed');
    const row = await write('Trop tard?', { state: 'sending' });
    const out = await sendMessageNow(db, row, fakeApi([409]).impl);
    expect(out).toMatchObject({ kind: 'refused', code: 'CASE_CLOSED_TOO_LONG' });
    expect(await db.messageOutbox.count()).toBe(0);
    // Not reached: it stays, to go later by itself.
    const kept = await write('Pas de réseau.', { state: 'sending' });
    expect(await sendMessageNow(db, kept, fakeApi(['drop']).impl)).toMatchObject({
      kind: 'unreachable',
    });
    expect(await db.messageOutbox.get(kept.clientId)).toMatchObject({ state: 'failed' });
  });

  it('sent from a form its author has left: a refusal keeps the message, the only copy', async () => {
    await newDb('closed');
    const left = () => false;
    const closed = await write('Trop tard?', { state: 'sending' });
    await sendMessageNow(db, closed, fakeApi([409]).impl, left);
    expect(await db.messageOutbox.get(closed.clientId)).toMatchObject({
      state: 'failed',
      permanentError: true,
      errorCode: 'CASE_CLOSED_TOO_LONG',
    });
    // Past the limit: kept, and it goes later by itself.
    const limited = await write('Encore.', { state: 'sending' });
    await sendMessageNow(db, limited, fakeApi([429]).impl, left);
    expect(await db.messageOutbox.get(limited.clientId)).toMatchObject({
      state: 'failed',
      permanentError: false,
      errorCode: 'MESSAGE_RATE_LIMITED',
    });
  });

  it('its author deletes one not sent, never one being sent', async () => {
    await newDb();
    const waiting = await write('Finalement non.');
    const going = await write('En route.', { state: 'sending' });
    expect(await discardQueuedMessage(db, going.clientId)).toBe(false);
    expect(await discardQueuedMessage(db, waiting.clientId)).toBe(true);
    expect((await db.messageOutbox.toArray()).map((r) => r.clientId)).toEqual([going.clientId]);
  });
});

describe('the service worker’s Background Sync run of the queue', () => {
  const run = (api: ReturnType<typeof fakeApi>) =>
    syncAccountQueue(db, {
      flush: (userId, opts) => flushMessages(db, userId, { ...opts, fetchImpl: api.impl }),
      countBackingOff: messageQueue.countBackingOff,
    });

  it('leaves a message in its backoff, and asks the browser to fire again rather than be done', async () => {
    await newDb();
    await updateSettings(db, { privateDataOwner: ME });
    const row = await write('Écrit dans le champ.');
    await flushMessages(db, ME, { fetchImpl: fakeApi(['drop']).impl });
    const api = fakeApi();
    // Not forced: a failing server keeps its backoff. Not done either, or the message would wait
    // for the app to be opened.
    await expect(run(api)).rejects.toBeInstanceOf(SyncLater);
    expect(api.calls).toEqual([]);
    // The browser fires it again later: the backoff is over, it goes, and the sync is done.
    await db.messageOutbox.update(row.clientId, { nextAttemptAt: new Date(0).toISOString() });
    await expect(run(api)).resolves.toBeUndefined();
    expect(api.calls.map((c) => [c.clientId, c.status])).toEqual([[row.clientId, 201]]);
    expect(await db.messageOutbox.count()).toBe(0);
  });

  it('a session that ended, a refusal for good, or nobody signed in: done, nothing to fire again for', async () => {
    await newDb();
    const row = await write('Écrit dans le champ.');
    // Nobody signed in on this device: nothing sent under someone else's session.
    const idle = fakeApi();
    await expect(run(idle)).resolves.toBeUndefined();
    expect(idle.calls).toEqual([]);
    await updateSettings(db, { privateDataOwner: ME });
    // Signed out on the server: the message waits for a sign-in, not for a sync.
    await expect(run(fakeApi([401]))).resolves.toBeUndefined();
    expect(await db.messageOutbox.get(row.clientId)).toMatchObject({
      state: 'queued',
      lastError: AUTH_REQUIRED,
    });
    // Refused for what it says: its author decides; the sync is done.
    await expect(run(fakeApi([409]))).resolves.toBeUndefined();
    expect(await db.messageOutbox.get(row.clientId)).toMatchObject({ permanentError: true });
    // No network at all: the browser fires it again, as before.
    await messageQueue.retry(db, row.clientId);
    await expect(run(fakeApi(['drop']))).rejects.toBeInstanceOf(SyncLater);
  });
});
