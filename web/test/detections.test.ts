import Dexie from 'dexie';
import type { Consents, DetectionBatch, DetectionReport } from '@phytodiag/api/contract';
import { afterEach, describe, expect, it } from 'vitest';
import { PhytoDb } from '../src/db/db';
import { readSettings, updateSettings } from '../src/db/settings';
import type { DiagnosisRow } from '../src/db/types';
import { buildReport } from '../src/detections/build-report';
import { queueDetection, MAX_BATCH, pendingDetectionCount } from '../src/detections/detection-repo';
import { CONSENT_REQUIRED, flushDetections } from '../src/detections/detection-sender';
import { changeConsents, syncConsentsAfterSignIn } from '../src/privacy/consents';
import { SyncLater, syncDetections } from '../src/pwa/sync-runs';

let db: PhytoDb;
afterEach(async () => {
  db.close();
  await Dexie.delete(db.name);
});

async function newDb(share = true): Promise<PhytoDb> {
  db = new PhytoDb(`detections-${crypto.randomUUID()}`);
  await updateSettings(db, { consentShareDetections: share });
  return db;
}

const USER = 'user-1';

function report(over: Partial<DetectionReport> = {}): DetectionReport {
  return {
    clientId: crypto.randomUUID(),
    slug: 'tomato_late_blight',
    confidence: 0.91,
    abstained: false,
    crop: 'tomato',
    regionCode: '16',
    mrcCode: null,
    week: '2026-11-30',
    modelVersion: 'v-test',
    ...over,
  };
}

/**
 * The API's rules for POST /api/detections, at the fetch boundary: session, consent, idempotency
 * by clientId, batch limit, one invalid slug refuses the whole batch (422).
 */
function fakeApi(opts: { authed?: boolean; consent?: boolean } = {}) {
  const state = { authed: opts.authed ?? true, consent: opts.consent ?? true, down: false };
  const received = new Map<string, DetectionReport>();
  const calls: { method: string; path: string; items?: number; body?: unknown }[] = [];
  /** Whose reports each batch said it carried (ACCOUNT_HEADER). */
  const accounts: (string | null)[] = [];
  let loseNextAnswer = false;
  const json = (status: number, body: unknown) =>
    new Response(JSON.stringify(body), {
      status,
      headers: { 'content-type': 'application/json' },
    });
  const impl: typeof fetch = async (input, init) => {
    const path = String(input);
    const method = init?.method ?? 'GET';
    if (state.down) throw new TypeError('Failed to fetch');
    if (!state.authed) {
      calls.push({ method, path });
      return json(401, { error: { code: 'UNAUTHENTICATED', message: 'Connectez-vous' } });
    }
    if (path === '/api/privacy/consents' && method === 'PUT') {
      const body = JSON.parse(String(init?.body)) as Consents;
      calls.push({ method, path, body });
      state.consent = body.shareDetections;
      return json(200, { ...body, history: [] });
    }
    if (path === '/api/detections' && method === 'POST') {
      const batch = JSON.parse(String(init?.body)) as DetectionBatch;
      calls.push({ method, path, items: batch.items.length, body: batch });
      accounts.push(new Headers(init?.headers).get('x-phytodiag-account'));
      if (!state.consent)
        return json(403, { error: { code: CONSENT_REQUIRED, message: 'Consentement requis' } });
      if (batch.items.length > MAX_BATCH)
        return json(400, { error: { code: 'VALIDATION', message: 'trop' } });
      if (batch.items.some((i) => i.slug === 'not_a_slug'))
        return json(422, { error: { code: 'UNKNOWN_SLUG', message: 'Classe inconnue' } });
      let accepted = 0;
      let duplicates = 0;
      for (const item of batch.items) {
        if (received.has(item.clientId)) duplicates += 1;
        else {
          received.set(item.clientId, item);
          accepted += 1;
        }
      }
      if (loseNextAnswer) {
        loseNextAnswer = false;
        throw new TypeError('connection reset'); // stored, but the device never hears back
      }
      return json(200, { accepted, duplicates });
    }
    return json(404, { error: { code: 'NOT_FOUND', message: path } });
  };
  return {
    impl,
    state,
    received,
    calls,
    accounts,
    loseNext: () => {
      loseNextAnswer = true;
    },
  };
}

describe('detection reports: queue and sender', () => {
  it('sends everything in batches of at most 200, each report once, then forgets them', async () => {
    await newDb();
    for (let i = 0; i < 450; i++) await queueDetection(db, USER, report(), Date.now() + i);
    const api = fakeApi();
    const r = await flushDetections(db, { fetchImpl: api.impl, userId: USER });
    expect(api.calls.map((c) => c.items)).toEqual([200, 200, 50]);
    expect(r).toEqual({ accepted: 450, duplicates: 0, rejected: 0, stopped: null });
    expect(api.received.size).toBe(450);
    expect(await db.detections.count()).toBe(0);
    await flushDetections(db, { fetchImpl: api.impl, userId: USER });
    expect(api.calls).toHaveLength(3);
  });

  it('drops nothing on network errors, backs off, and never double-counts after a lost answer', async () => {
    await newDb();
    for (let i = 0; i < 3; i++) await queueDetection(db, USER, report());
    const api = fakeApi();
    api.state.down = true;
    const r1 = await flushDetections(db, { fetchImpl: api.impl, userId: USER });
    expect(r1.stopped).toBe('network');
    const rows = await db.detections.toArray();
    expect(rows).toHaveLength(3);
    expect(rows.every((x) => x.state === 'failed' && x.attempts === 1)).toBe(true);
    expect(rows.every((x) => Date.parse(x.nextAttemptAt) > Date.now())).toBe(true);

    // Back online but still inside the backoff: nothing is sent until it is due (or forced).
    api.state.down = false;
    await flushDetections(db, { fetchImpl: api.impl, userId: USER });
    expect(api.calls).toHaveLength(0);

    // The server stores the batch but the answer is lost: the device resends, the server
    // recognises the clientIds, and the reports are counted once.
    api.loseNext();
    const r2 = await flushDetections(db, { fetchImpl: api.impl, userId: USER, force: true });
    expect(r2.stopped).toBe('network');
    expect(api.received.size).toBe(3);
    expect(await db.detections.count()).toBe(3);
    const r3 = await flushDetections(db, { fetchImpl: api.impl, userId: USER, force: true });
    expect(r3).toMatchObject({ accepted: 0, duplicates: 3, stopped: null });
    expect(api.received.size).toBe(3);
    expect(await db.detections.count()).toBe(0);
  });

  it('a Wi-Fi login page’s 200 is not the server’s count: the reports stay, and go later', async () => {
    await newDb();
    for (let i = 0; i < 2; i++) await queueDetection(db, USER, report());
    const portal: typeof fetch = async () =>
      new Response('<html>Connectez-vous</html>', {
        status: 200,
        headers: { 'content-type': 'text/html' },
      });
    const r = await flushDetections(db, { fetchImpl: portal, userId: USER });
    expect(r).toMatchObject({ accepted: 0, stopped: 'network' });
    expect(await db.detections.count()).toBe(2);
    const api = fakeApi();
    const after = await flushDetections(db, { fetchImpl: api.impl, userId: USER, force: true });
    expect(after).toMatchObject({ accepted: 2, stopped: null });
    expect(await db.detections.count()).toBe(0);
  });

  it('Background Sync: reports left in their backoff have the browser fire it again; signed out, not', async () => {
    await newDb();
    await updateSettings(db, { privateDataOwner: USER });
    await queueDetection(db, USER, report());
    const api = fakeApi();
    api.state.down = true;
    await flushDetections(db, { fetchImpl: api.impl, userId: USER });
    api.state.down = false;
    // The signal is back, the app closed: not forced, the sync sends nothing yet, and asks again.
    await expect(syncDetections(db, api.impl)).rejects.toBeInstanceOf(SyncLater);
    expect(api.calls).toHaveLength(0);
    // Fired again after the backoff: sent, done.
    await db.detections.toCollection().modify({ nextAttemptAt: new Date(0).toISOString() });
    await expect(syncDetections(db, api.impl)).resolves.toBeUndefined();
    expect(api.received.size).toBe(1);
    expect(api.accounts).toEqual([USER]);
    // Signed out: the reports wait for a sign-in, not for another sync.
    await queueDetection(db, USER, report());
    await expect(syncDetections(db, fakeApi({ authed: false }).impl)).resolves.toBeUndefined();
    expect(await db.detections.count()).toBe(1);
    // Another account signed in on the device: its sync sends only its own reports, and says
    // whose they are.
    await updateSettings(db, { privateDataOwner: 'producer-2' });
    const theirs = fakeApi();
    await syncDetections(db, theirs.impl);
    expect(theirs.calls).toHaveLength(0);
    // A sign-out pressed offline and not yet on the server: nothing goes.
    await updateSettings(db, { privateDataOwner: USER, signOutPending: true });
    await syncDetections(db, theirs.impl);
    expect(theirs.calls).toHaveLength(0);
  });

  it('stops and keeps the reports on 403 CONSENT_REQUIRED, and on 401', async () => {
    await newDb();
    await queueDetection(db, USER, report());
    await queueDetection(db, USER, report());
    const api = fakeApi({ consent: false });
    const r = await flushDetections(db, { fetchImpl: api.impl, userId: USER });
    expect(r.stopped).toBe('consent');
    expect(api.calls.filter((c) => c.path === '/api/detections')).toHaveLength(1);
    const kept = await db.detections.toArray();
    expect(kept.map((k) => [k.state, k.lastError, k.attempts])).toEqual([
      ['queued', CONSENT_REQUIRED, 0],
      ['queued', CONSENT_REQUIRED, 0],
    ]);

    api.state.authed = false;
    expect((await flushDetections(db, { fetchImpl: api.impl, userId: USER })).stopped).toBe('auth');
    expect(await db.detections.count()).toBe(2);

    // Once the server has the consent, the same reports go through, once.
    api.state.authed = true;
    api.state.consent = true;
    const ok = await flushDetections(db, { fetchImpl: api.impl, userId: USER });
    expect(ok).toMatchObject({ accepted: 2, stopped: null });
    expect(await db.detections.count()).toBe(0);
  });

  it('one refused report does not hold back the others and is not retried', async () => {
    await newDb();
    const good = [report(), report()];
    const bad = report({ slug: 'not_a_slug' });
    await queueDetection(db, USER, good[0]!, 1000);
    await queueDetection(db, USER, bad, 2000);
    await queueDetection(db, USER, good[1]!, 3000);
    const api = fakeApi();
    const r = await flushDetections(db, { fetchImpl: api.impl, userId: USER });
    expect(r).toMatchObject({ accepted: 2, rejected: 1, stopped: null });
    expect([...api.received.keys()].sort()).toEqual(good.map((g) => g.clientId).sort());
    const left = await db.detections.toArray();
    expect(left.map((l) => [l.clientId, l.permanentError])).toEqual([[bad.clientId, true]]);
    expect(await pendingDetectionCount(db)).toBe(0);
    const before = api.calls.length;
    await flushDetections(db, { fetchImpl: api.impl, userId: USER, force: true });
    expect(api.calls.length).toBe(before);
  });

  it('withdrawing the consent deletes the unsent reports; nothing is sent without it', async () => {
    await newDb();
    await queueDetection(db, USER, report());
    const api = fakeApi();
    api.state.down = true; // offline: the withdrawal is recorded locally, pushed later
    await changeConsents(
      db,
      { consentShareDetections: false },
      { signedIn: true, fetchImpl: api.impl },
    );
    expect(await db.detections.count()).toBe(0);
    const s = await readSettings(db);
    expect(s.consentShareDetections).toBe(false);
    expect(s.consentsPending).toBe(true);

    // A report queued by an older tab after the withdrawal is not sent either; the withdrawal
    // itself reaches the server.
    await queueDetection(db, USER, report());
    api.state.down = false;
    await flushDetections(db, { fetchImpl: api.impl, userId: USER });
    expect(api.calls.map((c) => `${c.method} ${c.path}`)).toEqual(['PUT /api/privacy/consents']);
    expect(api.calls[0]?.body).toEqual({ location: false, shareDetections: false });
    expect(api.state.consent).toBe(false);
    expect(await db.detections.count()).toBe(0);
    expect((await readSettings(db)).consentsPending).toBe(false);
  });

  it('pushes a consent given offline before the first reports', async () => {
    await newDb(false);
    const api = fakeApi({ consent: false });
    api.state.down = true;
    await changeConsents(
      db,
      { consentShareDetections: true },
      { signedIn: true, fetchImpl: api.impl },
    );
    await queueDetection(db, USER, report());
    api.state.down = false;
    const r = await flushDetections(db, { fetchImpl: api.impl, userId: USER });
    expect(r).toMatchObject({ accepted: 1, stopped: null });
    expect(api.calls.map((c) => `${c.method} ${c.path}`)).toEqual([
      'PUT /api/privacy/consents',
      'POST /api/detections',
    ]);
    expect((await readSettings(db)).consentsPending).toBe(false);
  });

  it('after sign-in, adopts the account consents unless a local change is pending', async () => {
    await newDb(false);
    const api = fakeApi({ consent: true });
    const serverView = { location: true, shareDetections: true, history: [] };
    const getOnly: typeof fetch = async (input, init) =>
      (init?.method ?? 'GET') === 'GET'
        ? new Response(JSON.stringify(serverView), { status: 200 })
        : api.impl(input, init);
    await syncConsentsAfterSignIn(db, getOnly);
    let s = await readSettings(db);
    expect([s.consentLocation, s.consentShareDetections]).toEqual([true, true]);

    await updateSettings(db, { consentShareDetections: false, consentsPending: true });
    await syncConsentsAfterSignIn(db, getOnly);
    s = await readSettings(db);
    expect(s.consentShareDetections).toBe(false);
    expect(api.calls.at(-1)).toMatchObject({ method: 'PUT', body: { shareDetections: false } });
  });

  it('only sends the signed-in person’s reports', async () => {
    await newDb();
    await queueDetection(db, 'someone-else', report());
    await queueDetection(db, USER, report());
    const api = fakeApi();
    await flushDetections(db, { fetchImpl: api.impl, userId: USER });
    expect(api.received.size).toBe(1);
    expect((await db.detections.toArray()).map((r) => r.userId)).toEqual(['someone-else']);
  });
});

describe('what a report carries', () => {
  const diagnosis: DiagnosisRow = {
    id: 'd-1',
    // Sunday evening, local time: still the week of Monday 2026-11-30.
    createdAt: new Date(2026, 11, 6, 21, 15).toISOString(),
    photos: [new Blob([new Uint8Array([1, 2, 3])], { type: 'image/jpeg' })],
    takenAt: null,
    location: { lat: 45.6307, lon: -72.953 },
    context: { crop: 'tomato', regionCode: '05', month: 12, priorsEnabled: true },
    result: {
      ranked: [
        { slug: 'tomato_late_blight', probability: 0.87 },
        { slug: 'tomato_early_blight', probability: 0.1 },
      ],
      abstained: false,
      abstainReason: null,
      confidence: 'probable',
      modelVersion: '20261202-130502',
      backend: 'wasm',
      elapsedMs: 120,
    },
  };

  it('holds class, confidence, crop, codes, week and model version; never coordinates', () => {
    const r = buildReport(diagnosis, { regionCode: '16', mrcCode: '54' }, 'c-1');
    expect(r).toEqual({
      clientId: 'c-1',
      slug: 'tomato_late_blight',
      confidence: 0.87,
      abstained: false,
      crop: 'tomato',
      regionCode: '16',
      mrcCode: '54',
      week: '2026-11-30',
      modelVersion: '20261202-130502',
    });
    const text = JSON.stringify(r);
    expect(text).not.toMatch(/"(lat|lon|latitude|longitude|location)"|45\.63|72\.95/);
  });

  it('reports an abstention with its top class and no class when there is none', () => {
    const abst = { ...diagnosis, result: { ...diagnosis.result, abstained: true } };
    expect(buildReport(abst, { regionCode: null, mrcCode: null })).toMatchObject({
      abstained: true,
      slug: 'tomato_late_blight',
      regionCode: null,
    });
    const none = { ...diagnosis, result: { ...diagnosis.result, ranked: [], abstained: true } };
    expect(buildReport(none, { regionCode: '16', mrcCode: null })).toMatchObject({
      slug: null,
      confidence: 0,
    });
  });
});
