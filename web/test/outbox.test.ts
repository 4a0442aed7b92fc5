import Dexie from 'dexie';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { PhytoDb } from '../src/db/db';
import {
  claimDue,
  discardDraft,
  INTERRUPTED,
  isWithdrawable,
  markInterrupted,
  withdrawCase,
  findDraft,
  lastContact,
  reopenAsDraft,
  queueCase,
  saveDraft,
  SENDING_LEASE_MS,
  submittedFor,
} from '../src/outbox/outbox-repo';
import { deliverOutbox } from '../src/outbox/deliver';
import { SyncLater, syncOutbox } from '../src/pwa/sync-runs';
import { addToOpenRequest } from '../src/outbox/duplicate-to-message';
import { updateSettings } from '../src/db/settings';
import { NOT_THE_API } from '../src/api/http';
import {
  AUTH_REQUIRED,
  flushOutbox,
  recoverInterruptedCases,
  SLOWEST_UPLINK_BYTES_PER_S,
  UPLOAD_TIMEOUT_MS,
  uploadDeadlineMs,
} from '../src/outbox/sender';
import type { DraftForm, OutboxCase } from '../src/db/types';
import { anEscalation } from './escalation-fixture';

let db: PhytoDb;
afterEach(async () => {
  db.close();
  await Dexie.delete(db.name);
});

function newDb(): PhytoDb {
  db = new PhytoDb(`outbox-${crypto.randomUUID()}`);
  return db;
}

function aCase(): OutboxCase {
  return { clientId: crypto.randomUUID(), crop: 'tomato', description: 'feuilles jaunes' };
}
const photo = () => new Blob([new Uint8Array([1, 2, 3])], { type: 'image/jpeg' });

/** A tiny fake server keeping escalations by clientId, as the API does. */
function fakeServer(opts: { authed: boolean; failFirst?: number; reject?: string }) {
  const byClientId = new Map<string, string>();
  const calls: { status: number; clientId: string; photos: number }[] = [];
  let failures = opts.failFirst ?? 0;
  const impl: typeof fetch = async (_input, init) => {
    const form = init?.body as FormData;
    const c = JSON.parse(String(form.get('case'))) as OutboxCase;
    const photos = form.getAll('photo').length;
    const reply = (status: number, body: unknown) => {
      calls.push({ status, clientId: c.clientId, photos });
      return new Response(JSON.stringify(body), { status });
    };
    if (failures > 0) {
      failures -= 1;
      throw new TypeError('Failed to fetch');
    }
    if (!opts.authed)
      return reply(401, { error: { code: 'UNAUTHENTICATED', message: 'Connectez-vous' } });
    if (opts.reject) return reply(422, { error: { code: 'INVALID', message: opts.reject } });
    const existing = byClientId.get(c.clientId);
    if (existing) return reply(200, anEscalation({ id: existing, clientId: c.clientId }));
    const id = `srv-${byClientId.size + 1}`;
    byClientId.set(c.clientId, id);
    return reply(201, anEscalation({ id, clientId: c.clientId }));
  };
  return { impl, calls, byClientId };
}

describe('outbox', () => {
  it('a sent case is on the device at once, as the server answered it', async () => {
    newDb();
    const c = aCase();
    await queueCase(db, c, [photo()]);
    const created = {
      id: '0b9b2a51-8f0e-4c1e-9d43-6c1f1a0b7e11',
      clientId: c.clientId,
      status: 'received',
      crop: c.crop,
      description: c.description,
      photos: [{ url: '/p/0', thumbUrl: '/p/0t', width: 10, height: 10 }],
      answer: null,
      history: [{ from: null, to: 'received', at: '2026-12-03T10:00:00.000Z', actor: null }],
      createdAt: '2026-12-03T10:00:00.000Z',
    };
    const impl: typeof fetch = async () => new Response(JSON.stringify(created), { status: 201 });
    expect((await flushOutbox(db, { fetchImpl: impl })).sent).toBe(1);
    const mirrored = await db.myCases.get(created.id);
    expect(mirrored?.clientId).toBe(c.clientId);
    expect(mirrored?.status).toBe('received');
    expect(mirrored?.messages).toEqual([]);
  });

  it('a Wi-Fi login page’s 200 is not the lab’s answer: the case and its photos stay to be sent', async () => {
    newDb();
    const c = aCase();
    await queueCase(db, c, [photo(), photo()]);
    const portal: typeof fetch = async () =>
      new Response('<html><body>Connectez-vous au Wi-Fi de la coopérative</body></html>', {
        status: 200,
        headers: { 'content-type': 'text/html' },
      });
    expect(await flushOutbox(db, { fetchImpl: portal })).toEqual({
      sent: 0,
      failed: 1,
      waitingForSignIn: 0,
    });
    const kept = await db.outbox.get(c.clientId);
    expect(kept).toMatchObject({ state: 'failed', attempts: 1, lastError: NOT_THE_API });
    expect(kept?.photos).toHaveLength(2);
    expect(await db.myCases.count()).toBe(0);
    // Past the portal: it goes, once, with its photos.
    const server = fakeServer({ authed: true });
    expect((await flushOutbox(db, { fetchImpl: server.impl, force: true })).sent).toBe(1);
    expect(server.calls).toEqual([{ status: 201, clientId: c.clientId, photos: 2 }]);
  });

  it('drafts are not sent; queued cases are sent once with their photos', async () => {
    newDb();
    const draft = aCase();
    await saveDraft(db, draft, [photo()]);
    const c = aCase();
    await queueCase(db, c, [photo(), photo()]);
    const server = fakeServer({ authed: true });
    const report = await flushOutbox(db, { fetchImpl: server.impl });
    expect(report.sent).toBe(1);
    expect(server.calls).toEqual([{ status: 201, clientId: c.clientId, photos: 2 }]);
    const row = await db.outbox.get(c.clientId);
    expect(row?.state).toBe('sent');
    expect(row?.serverId).toBe('srv-1');
    expect((await db.outbox.get(draft.clientId))?.state).toBe('draft');
    // A second flush sends nothing.
    await flushOutbox(db, { fetchImpl: server.impl });
    expect(server.calls).toHaveLength(1);
  });

  it('waits for sign-in without spending attempts', async () => {
    newDb();
    const c = aCase();
    await queueCase(db, c, [photo()]);
    const report = await flushOutbox(db, { fetchImpl: fakeServer({ authed: false }).impl });
    expect(report.waitingForSignIn).toBe(1);
    const row = await db.outbox.get(c.clientId);
    expect(row?.state).toBe('queued');
    expect(row?.attempts).toBe(0);
    expect(row?.lastError).toBe(AUTH_REQUIRED);
  });

  it('retries network failures with backoff, and a resend after an interrupted send stays single', async () => {
    newDb();
    const c = aCase();
    await queueCase(db, c, [photo()]);
    const server = fakeServer({ authed: true, failFirst: 1 });
    await flushOutbox(db, { fetchImpl: server.impl });
    let row = await db.outbox.get(c.clientId);
    expect(row?.state).toBe('failed');
    expect(row?.attempts).toBe(1);
    expect(Date.parse(row!.nextAttemptAt)).toBeGreaterThan(Date.now());
    // Not due yet: nothing claimed.
    expect(await claimDue(db)).toHaveLength(0);
    await flushOutbox(db, { fetchImpl: server.impl, force: true });
    row = await db.outbox.get(c.clientId);
    expect(row?.state).toBe('sent');
    // Simulate a tab closed after the server stored it but before we recorded it.
    await db.outbox.update(c.clientId, {
      state: 'sending',
      updatedAt: new Date(Date.now() - SENDING_LEASE_MS - 1000).toISOString(),
    });
    await flushOutbox(db, { fetchImpl: server.impl });
    expect(server.byClientId.size).toBe(1);
    expect(server.calls.map((x) => x.status)).toEqual([201, 200]);
  });

  it('Background Sync leaves a case in its backoff but asks to be fired again, until it goes', async () => {
    newDb();
    const c = aCase();
    await queueCase(db, c, [photo()]);
    await flushOutbox(db, { fetchImpl: fakeServer({ authed: true, failFirst: 1 }).impl });
    expect((await db.outbox.get(c.clientId))?.state).toBe('failed');
    const server = fakeServer({ authed: true });
    // The signal is back and the app closed: not forced, the sync sends nothing yet, and is not
    // done, or the case would wait for the app to be opened.
    await expect(syncOutbox(db, server.impl)).rejects.toBeInstanceOf(SyncLater);
    expect(server.calls).toEqual([]);
    // Fired again once the backoff is over: sent, and done.
    await db.outbox.update(c.clientId, { nextAttemptAt: new Date(0).toISOString() });
    await expect(syncOutbox(db, server.impl)).resolves.toBeUndefined();
    expect(server.calls.map((x) => x.status)).toEqual([201]);
    expect((await db.outbox.get(c.clientId))?.state).toBe('sent');
    // Refused for good: its author fixes it; no sync to fire for it.
    const refused = aCase();
    await queueCase(db, refused, [photo()]);
    await expect(
      syncOutbox(db, fakeServer({ authed: true, reject: 'Culture inconnue' }).impl),
    ).resolves.toBeUndefined();
    expect(await db.outbox.get(refused.clientId)).toMatchObject({ permanentError: true });
  });

  it('Background Sync is not fired again for another account’s case in its backoff', async () => {
    newDb();
    await updateSettings(db, { privateDataOwner: 'user-a' });
    const ofA = aCase();
    await queueCase(db, ofA, [photo()]);
    await flushOutbox(db, { fetchImpl: fakeServer({ authed: true, failFirst: 1 }).impl });
    expect((await db.outbox.get(ofA.clientId))?.state).toBe('failed');
    // B signs in on the shared tablet: A's case waits for A (claimDue), not for a retried sync.
    await updateSettings(db, { privateDataOwner: 'user-b' });
    const server = fakeServer({ authed: true });
    await expect(syncOutbox(db, server.impl)).resolves.toBeUndefined();
    expect(server.calls).toEqual([]);
    // A again: their case in its backoff asks for the sync to be fired again.
    await updateSettings(db, { privateDataOwner: 'user-a' });
    await expect(syncOutbox(db, server.impl)).rejects.toBeInstanceOf(SyncLater);
  });

  it('a request whose page died mid-upload counts as tried, is due again at once, and goes once', async () => {
    newDb();
    const [cut, waiting] = [aCase(), aCase()];
    await queueCase(db, cut, [photo()]);
    const [claimed] = await claimDue(db);
    expect(claimed?.clientId).toBe(cut.clientId);
    await queueCase(db, waiting, [photo()]);
    // The page is reloaded mid-upload: the row stays 'sending', with nobody sending it.
    const now = Date.now();
    expect(await markInterrupted(db, now)).toBe(1);
    const row = await db.outbox.get(cut.clientId);
    expect(row).toMatchObject({ state: 'failed', attempts: 1, lastError: INTERRUPTED });
    expect(row?.permanentError).toBe(false);
    expect(Date.parse(row!.nextAttemptAt)).toBe(now);
    // It may have reached the lab: no longer withdrawn or edited from the device.
    expect(isWithdrawable(row!)).toBe(false);
    expect(await db.outbox.get(waiting.clientId)).toMatchObject({ state: 'queued', attempts: 0 });
    const server = fakeServer({ authed: true });
    await flushOutbox(db, { fetchImpl: server.impl });
    expect(server.calls.map((x) => x.clientId).sort()).toEqual(
      [cut.clientId, waiting.clientId].sort(),
    );
    expect(await markInterrupted(db)).toBe(0);
  });

  it('gives back rows left « sending » only when no sender of the queue runs or waits', async () => {
    newDb();
    const c = aCase();
    await queueCase(db, c, [photo()]);
    await claimDue(db);
    const waiting: { name: string }[] = [];
    // The browser's Web Locks, as far as these queues use them: free, and who waits.
    vi.stubGlobal('navigator', {
      locks: {
        request: (_name: string, _opts: unknown, cb: (lock: object) => Promise<unknown>) => cb({}),
        query: async () => ({ held: [], pending: waiting }),
      },
    });
    try {
      // The bank form waits its turn with its own row marked 'sending': that queue is left alone.
      waiting.push({ name: 'phytodiag-outbox' });
      await recoverInterruptedCases(db);
      expect((await db.outbox.get(c.clientId))?.state).toBe('sending');
      waiting.length = 0;
      await recoverInterruptedCases(db);
      expect((await db.outbox.get(c.clientId))?.state).toBe('failed');
    } finally {
      vi.unstubAllGlobals();
    }
    // Without Web Locks nothing tells a dead sender from a slow one: only the lease does.
    await db.outbox.update(c.clientId, { state: 'sending', updatedAt: new Date().toISOString() });
    await recoverInterruptedCases(db);
    expect((await db.outbox.get(c.clientId))?.state).toBe('sending');
  });

  it('withdraws only a request the lab cannot have: never tried, or refused for good', async () => {
    newDb();
    const [waiting, tried, refused, claimed] = [aCase(), aCase(), aCase(), aCase()];
    for (const c of [waiting, tried, refused, claimed]) await queueCase(db, c, [photo()]);
    // Signed out: queued, no attempt spent.
    await flushOutbox(db, { fetchImpl: fakeServer({ authed: false }).impl });
    expect((await db.outbox.get(waiting.clientId))?.attempts).toBe(0);
    // Tried once and lost on the way: the server may hold it.
    await db.outbox.update(tried.clientId, { state: 'failed', attempts: 1, permanentError: false });
    await db.outbox.update(refused.clientId, {
      state: 'failed',
      attempts: 1,
      permanentError: true,
    });
    await db.outbox.update(claimed.clientId, { state: 'sending' });

    expect(await withdrawCase(db, waiting.clientId)).toBe(true);
    expect(await withdrawCase(db, refused.clientId)).toBe(true);
    expect(await withdrawCase(db, tried.clientId)).toBe(false);
    expect(await withdrawCase(db, claimed.clientId)).toBe(false);
    expect((await db.outbox.toArray()).map((r) => r.clientId).sort()).toEqual(
      [tried.clientId, claimed.clientId].sort(),
    );
    // Withdrawn means never sent, even once signed in.
    const server = fakeServer({ authed: true });
    await flushOutbox(db, { fetchImpl: server.impl, force: true });
    expect(server.calls.map((c) => c.clientId)).toEqual([tried.clientId]);
  });

  it('reopens for editing only a request the lab cannot have, keeping its clientId and photos', async () => {
    newDb();
    const form = (c: OutboxCase, diagnosisId: string | null): DraftForm => ({
      diagnosisId,
      crop: c.crop,
      description: c.description,
      shareLocation: false,
      location: null,
      contact: 'app',
      photoMeta: [{ takenAt: null, gps: null }],
    });
    const [waiting, refused, tried, claimed] = [aCase(), aCase(), aCase(), aCase()];
    for (const c of [waiting, refused, tried, claimed])
      await queueCase(db, c, [photo()], form(c, `diag-${c.clientId}`));
    await db.outbox.update(refused.clientId, {
      state: 'failed',
      attempts: 1,
      lastError: 'La culture est obligatoire.',
      permanentError: true,
    });
    await db.outbox.update(tried.clientId, { state: 'failed', attempts: 1, permanentError: false });
    await db.outbox.update(claimed.clientId, { state: 'sending' });

    expect(await reopenAsDraft(db, waiting.clientId)).toMatchObject({
      diagnosisId: `diag-${waiting.clientId}`,
    });
    expect(await reopenAsDraft(db, refused.clientId)).not.toBeNull();
    expect(await reopenAsDraft(db, tried.clientId)).toBeNull();
    expect(await reopenAsDraft(db, claimed.clientId)).toBeNull();
    // The form finds it again (as after autosave), photos and idempotency key intact.
    const draft = await findDraft(db, `diag-${refused.clientId}`);
    expect(draft).toMatchObject({
      clientId: refused.clientId,
      state: 'draft',
      attempts: 0,
      lastError: null,
      permanentError: false,
    });
    expect(draft?.photos).toHaveLength(1);
    // A draft is not sent; submitted again, it goes once under its first clientId.
    const server = fakeServer({ authed: true });
    await flushOutbox(db, { fetchImpl: server.impl, force: true });
    expect(server.calls.map((c) => c.clientId)).toEqual([tried.clientId]);
    await queueCase(db, { ...waiting, description: 'feuilles jaunes, taches noires' }, [photo()]);
    await flushOutbox(db, { fetchImpl: server.impl, force: true });
    expect(server.calls.map((c) => c.clientId)).toEqual([tried.clientId, waiting.clientId]);
  });

  it('keeps the server message of a 4xx and does not retry it automatically', async () => {
    newDb();
    const c = aCase();
    await queueCase(db, c, [photo()]);
    await flushOutbox(db, {
      fetchImpl: fakeServer({ authed: true, reject: 'Photo illisible' }).impl,
    });
    const row = await db.outbox.get(c.clientId);
    expect(row?.state).toBe('failed');
    expect(row?.permanentError).toBe(true);
    expect(row?.lastError).toBe('Photo illisible');
    expect(await claimDue(db, Date.now() + 3_600_000, true)).toHaveLength(0);
  });

  it('keeps the open case a DUPLICATE_CASE refusal names, and only for that refusal', async () => {
    newDb();
    const [dup, other] = [aCase(), aCase()];
    await queueCase(db, dup, [photo()]);
    await queueCase(db, other, [photo()]);
    // The API's error model: details[0] names the open case holding the same photos.
    const refuse: typeof fetch = async (_input, init) => {
      const c = JSON.parse(String((init?.body as FormData).get('case'))) as OutboxCase;
      const error =
        c.clientId === dup.clientId
          ? {
              code: 'DUPLICATE_CASE',
              message: 'Ces photos ont déjà été envoyées (PD-2026-00007).',
              details: [{ path: 'existingCaseId', message: 'case-7' }],
            }
          : {
              code: 'VALIDATION_ERROR',
              message: 'Culture manquante',
              details: [{ path: '/crop', message: 'x' }],
            };
      return new Response(JSON.stringify({ error }), {
        status: c.clientId === dup.clientId ? 409 : 400,
      });
    };
    await flushOutbox(db, { fetchImpl: refuse });
    const [a, b] = [await db.outbox.get(dup.clientId), await db.outbox.get(other.clientId)];
    expect([a?.state, a?.permanentError, a?.duplicateOf]).toEqual(['failed', true, 'case-7']);
    expect(a?.lastError).toBe('Ces photos ont déjà été envoyées (PD-2026-00007).');
    expect([b?.state, b?.duplicateOf]).toEqual(['failed', null]);

    // « Envoyer ma description en message dans cette demande »: its words become a message of
    // the open case (the lab has the photos), and the refused request leaves the device.
    expect(await addToOpenRequest(db, other.clientId, 'me')).toBeNull();
    expect(await addToOpenRequest(db, dup.clientId, 'me')).toBe('case-7');
    expect(await db.outbox.get(dup.clientId)).toBeUndefined();
    expect(await db.messageOutbox.toArray()).toMatchObject([
      {
        userId: 'me',
        escalationId: 'case-7',
        body: 'feuilles jaunes',
        photos: [],
        state: 'queued',
      },
    ]);
    expect(await db.outbox.get(other.clientId)).toMatchObject({ state: 'failed' });
  });

  it('abandons a stalled upload (no answer, no reset) and keeps the case for a later try', async () => {
    newDb();
    const c = aCase();
    await queueCase(db, c, [photo()]);
    // A connection that never answers, as in a field with one bar: only the signal ends it.
    const stalled: typeof fetch = (_input, init) =>
      new Promise((_resolve, reject) => {
        init?.signal?.addEventListener('abort', () => reject(init.signal?.reason));
      });
    const report = await flushOutbox(db, { fetchImpl: stalled, timeoutMs: 50 });
    expect(report).toEqual({ sent: 0, failed: 1, waitingForSignIn: 0 });
    const row = await db.outbox.get(c.clientId);
    expect(row?.state).toBe('failed');
    expect(row?.permanentError).toBe(false);
    expect(row?.photos).toHaveLength(1);
  });

  it('gives a large request on a slow uplink the time it needs, and keeps its lease meanwhile', async () => {
    // One photo of 1 MB: the floor; five re-encoded photos (≈ 5 MB): 250 s at 20 kB/s.
    expect(uploadDeadlineMs(1_000_000)).toBe(UPLOAD_TIMEOUT_MS);
    expect(uploadDeadlineMs(5_000_000)).toBe(250_000);
    expect(uploadDeadlineMs(5_000_000)).toBe((5_000_000 / SLOWEST_UPLINK_BYTES_PER_S) * 1000);

    newDb();
    const first = aCase();
    const second = aCase();
    await queueCase(db, first, [photo()]);
    await queueCase(db, second, [photo()]);
    await db.outbox.update(second.clientId, { createdAt: '2999-01-01T00:00:00.000Z' });
    // The first upload is slow: meanwhile, the rows of the run (the second one waiting behind it)
    // keep a fresh lease, so no other sender takes them for an interrupted run.
    let renewedDuringUpload = false;
    const slow: typeof fetch = async () => {
      const claimedAt = Date.parse((await db.outbox.get(second.clientId))?.updatedAt ?? '');
      await new Promise((r) => setTimeout(r, 200));
      const now = Date.parse((await db.outbox.get(second.clientId))?.updatedAt ?? '');
      renewedDuringUpload = now > claimedAt;
      // Past the lease the claim gave, another sender still finds nothing to take over.
      expect(await claimDue(db, claimedAt + SENDING_LEASE_MS + 100)).toEqual([]);
      return new Response(JSON.stringify(anEscalation({ id: crypto.randomUUID() })), {
        status: 201,
      });
    };
    const report = await flushOutbox(db, { fetchImpl: slow, leaseRenewMs: 20 });
    expect(report.sent).toBe(2);
    expect(renewedDuringUpload).toBe(true);
  });

  it('claims due cases oldest first, whatever their random client ids', async () => {
    newDb();
    const written: string[] = [];
    for (let i = 0; i < 6; i++) {
      // Ids that sort in the reverse of the writing order.
      const c = { ...aCase(), clientId: `${9 - i}0000000-0000-4000-8000-000000000000` };
      await queueCase(db, c, [photo()]);
      // Distinct creation times, in writing order.
      await db.outbox.update(c.clientId, {
        createdAt: new Date(Date.UTC(2026, 5, 1, 8, i)).toISOString(),
      });
      written.push(c.clientId);
    }
    expect((await claimDue(db)).map((r) => r.clientId)).toEqual(written);
  });

  it('whoever sends a case (page or service worker) then refreshes "Mes demandes", once', async () => {
    newDb();
    await queueCase(db, aCase(), [photo()]);
    const server = fakeServer({ authed: true });
    const reads: string[] = [];
    const impl: typeof fetch = async (input, init) => {
      if (init?.method === 'POST') return server.impl(input, init);
      reads.push(String(input));
      return new Response(JSON.stringify({ items: [] }), { status: 200 });
    };
    expect((await deliverOutbox(db, { fetchImpl: impl })).sent).toBe(1);
    expect(reads).toEqual(['/api/escalations?mine=true']);
    // Nothing left to send: no refresh either.
    await deliverOutbox(db, { fetchImpl: impl });
    expect(reads).toHaveLength(1);
  });

  it('two concurrent flushes never send the same case twice', async () => {
    newDb();
    for (let i = 0; i < 3; i++) await queueCase(db, aCase(), [photo()]);
    const server = fakeServer({ authed: true });
    await Promise.all([
      flushOutbox(db, { fetchImpl: server.impl }),
      flushOutbox(db, { fetchImpl: server.impl }),
    ]);
    expect(server.calls).toHaveLength(3);
    expect(server.calls.every((c) => c.status === 201)).toBe(true);
  });

  it('sends a request only under the account that wrote it (a shared device)', async () => {
    newDb();
    const as = (owner: string | null) => updateSettings(db, { privateDataOwner: owner });
    const form = (c: OutboxCase): DraftForm => ({
      diagnosisId: null,
      crop: c.crop,
      description: c.description,
      shareLocation: false,
      location: null,
      contact: 'app',
      photoMeta: [],
    });
    const [anonymous, ofA, ofB, draftOfA] = [aCase(), aCase(), aCase(), aCase()];
    await as(null);
    await queueCase(db, anonymous, [photo()]);
    await as('user-a');
    await queueCase(db, ofA, [photo()]);
    await saveDraft(db, draftOfA, [photo()], form(draftOfA));
    // A's session ended without « Se déconnecter »; B signs in on the same tablet.
    await as('user-b');
    await queueCase(db, ofB, [photo()]);
    expect((await db.outbox.get(ofA.clientId))?.ownerId).toBe('user-a');
    expect(await findDraft(db, null)).toBeNull();

    const server = fakeServer({ authed: true });
    await flushOutbox(db, { fetchImpl: server.impl });
    // Written signed out: goes with whoever signs in. A's waits, untried.
    expect(server.calls.map((c) => c.clientId).sort()).toEqual(
      [anonymous.clientId, ofB.clientId].sort(),
    );
    expect((await db.outbox.get(ofA.clientId))?.state).toBe('queued');
    expect((await db.outbox.get(ofA.clientId))?.attempts).toBe(0);

    await as('user-a');
    expect((await findDraft(db, null))?.clientId).toBe(draftOfA.clientId);
    await flushOutbox(db, { fetchImpl: server.impl });
    expect(server.calls.map((c) => c.clientId)).toContain(ofA.clientId);
    expect((await db.outbox.get(ofA.clientId))?.state).toBe('sent');
  });

  it('sends nothing while a sign-out pressed offline has not reached the server', async () => {
    newDb();
    const c = aCase();
    await queueCase(db, c, [photo()]);
    await updateSettings(db, { signOutPending: true });
    const server = fakeServer({ authed: true });
    await flushOutbox(db, { fetchImpl: server.impl, force: true });
    expect(server.calls).toEqual([]);
    await updateSettings(db, { signOutPending: false });
    await flushOutbox(db, { fetchImpl: server.impl });
    expect(server.calls.map((x) => x.clientId)).toEqual([c.clientId]);
  });

  it('drafts keep the form, are found again, and a late autosave never un-queues a case', async () => {
    newDb();
    const c = aCase();
    const form: DraftForm = {
      diagnosisId: null,
      crop: c.crop,
      description: c.description,
      shareLocation: true,
      location: { lat: 46.8, lon: -71.2 },
      contact: 'phone',
      photoMeta: [{ takenAt: '2024-07-01T10:00:00.000Z', gps: null }],
    };
    await saveDraft(db, c, [photo()], form);
    const found = await findDraft(db, null);
    expect(found?.clientId).toBe(c.clientId);
    expect(found?.form).toEqual(form);
    expect(found?.photos).toHaveLength(1);
    expect(await findDraft(db, 'some-diagnosis')).toBeNull();

    await queueCase(db, c, [photo()], form);
    // The debounced autosave fires after the submit: it must not turn the case back into a draft.
    await saveDraft(db, { ...c, description: 'late' }, [photo()], form);
    const row = await db.outbox.get(c.clientId);
    expect(row?.state).toBe('queued');
    expect(row?.case.description).toBe(c.description);
    expect(await findDraft(db, null)).toBeNull();
    // "Start over" drops drafts only.
    await discardDraft(db, c.clientId);
    expect(await db.outbox.get(c.clientId)).toBeDefined();
    const d = aCase();
    await saveDraft(db, d, [], { ...form, diagnosisId: 'x' });
    await discardDraft(db, d.clientId);
    expect(await db.outbox.get(d.clientId)).toBeUndefined();
  });

  it('offers how the latest request asked to be answered, and the last number; never a draft’s or another account’s', async () => {
    newDb();
    await updateSettings(db, { privateDataOwner: 'user-a' });
    expect(await lastContact(db)).toEqual({ contact: null, phone: '' });
    const tick = () => new Promise((r) => setTimeout(r, 5)); // distinct createdAt
    const called = (phone: string) => ({
      ...aCase(),
      contactPreference: 'phone' as const,
      contactPhone: phone,
    });
    await queueCase(db, called('418 555-0100'), [photo()]);
    await tick();
    await queueCase(db, called('450 555-0123'), [photo()]);
    await tick();
    expect(await lastContact(db)).toEqual({ contact: 'phone', phone: '450 555-0123' });
    // The latest request chose the app: that choice stands, the number stays at hand.
    await queueCase(db, { ...aCase(), contactPreference: 'app' }, [photo()]);
    await tick();
    // A draft is not a choice the person confirmed by sending.
    await saveDraft(db, called('819 555-0199'), []);
    expect(await lastContact(db)).toEqual({ contact: 'app', phone: '450 555-0123' });

    // Someone else signed in on the same tablet never sees it.
    await updateSettings(db, { privateDataOwner: 'user-b' });
    expect(await lastContact(db)).toEqual({ contact: null, phone: '' });
  });

  it('restores the draft of the fact sheet the form was opened from, not another one', async () => {
    newDb();
    const form = (about: string | null): DraftForm => ({
      diagnosisId: null,
      about,
      crop: about ?? 'Tomate',
      description: '',
      shareLocation: false,
      location: null,
      contact: 'app',
      photoMeta: [],
    });
    const plain = aCase();
    await saveDraft(db, plain, [], form(null));
    const scab = aCase();
    await saveDraft(db, scab, [], form('apple_scab'));
    expect((await findDraft(db, null))?.clientId).toBe(plain.clientId);
    expect((await findDraft(db, null, 'apple_scab'))?.clientId).toBe(scab.clientId);
    expect(await findDraft(db, null, 'weed_dandelion')).toBeNull();
  });

  it('knows a request was already submitted from a diagnosis, not from a draft or for another account', async () => {
    newDb();
    await updateSettings(db, { privateDataOwner: 'user-a' });
    const form = (diagnosisId: string): DraftForm => ({
      diagnosisId,
      crop: 'Maïs',
      description: '',
      shareLocation: false,
      location: null,
      contact: 'app',
      photoMeta: [],
    });
    const draft = aCase();
    await saveDraft(db, draft, [photo()], form('diag-1'));
    expect(await submittedFor(db, 'diag-1')).toBeNull();
    await queueCase(db, draft, [photo()], form('diag-1'));
    const queued = await submittedFor(db, 'diag-1');
    expect(queued).toEqual({ createdAt: expect.any(String) as unknown, serverId: null });
    expect(await submittedFor(db, 'diag-2')).toBeNull();
    // Once sent, it knows the lab's id (the notice links to that request).
    await db.outbox.update(draft.clientId, { state: 'sent', serverId: 'srv-1' });
    expect(await submittedFor(db, 'diag-1')).toMatchObject({ serverId: 'srv-1' });
    await updateSettings(db, { privateDataOwner: 'user-b' });
    expect(await submittedFor(db, 'diag-1')).toBeNull();
  });
});
