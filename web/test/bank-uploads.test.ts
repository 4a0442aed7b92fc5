import Dexie from 'dexie';
import type { BankSubmissionCreated, BankSubmissionMeta } from '@phytodiag/api/contract';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { PhytoDb } from '../src/db/db';
import {
  claimDueBankUploads,
  keepBankUpload,
  markBankUploadsInterrupted,
  retryBankUpload,
} from '../src/bank/bank-upload-repo';
import { AUTH_REQUIRED, flushBankUploads } from '../src/bank/bank-sender';
import { INTERRUPTED, SENDING_LEASE_MS } from '../src/outbox/outbox-repo';
import { fakeWebLocks } from './web-locks';

let db: PhytoDb;
afterEach(async () => {
  db.close();
  await Dexie.delete(db.name);
});

function newDb(): PhytoDb {
  db = new PhytoDb(`bank-uploads-${crypto.randomUUID()}`);
  return db;
}

const AGRONOMIST = 'agronomist-1';
const meta = (over: Partial<BankSubmissionMeta> = {}): BankSubmissionMeta => ({
  classSlug: 'potato_early_blight',
  crop: 'Pomme de terre',
  authorCredit: 'Agronome démo',
  licence: 'CC-BY-4.0',
  ...over,
});
const photo = (byte: number) =>
  new Blob([new Uint8Array([0xff, 0xd8, byte])], { type: 'image/jpeg' });

/**
 * Keeps submissions by (account, clientId) as the API does: a resend answers 200 with the
 * submission already made. `script` decides each call in turn; after it, calls succeed.
 */
function fakeBank(script: ('ok' | 'drop' | 'lose-answer' | 401 | 422 | 503)[] = []) {
  const byClientId = new Map<string, string>();
  const calls: { clientId: string; photos: number; status: number }[] = [];
  const impl: typeof fetch = async (_input, init) => {
    const form = init?.body as FormData;
    const m = JSON.parse(String(form.get('meta'))) as BankSubmissionMeta;
    const photos = form.getAll('photo').length;
    const clientId = m.clientId ?? '';
    const step = script.shift() ?? 'ok';
    const reply = (status: number, body: unknown) => {
      calls.push({ clientId, photos, status });
      return new Response(JSON.stringify(body), { status });
    };
    if (step === 'drop') throw new TypeError('Failed to fetch');
    if (typeof step === 'number') {
      const code = { 401: 'UNAUTHENTICATED', 422: 'UNKNOWN_SLUG', 503: 'UNAVAILABLE' }[step];
      return reply(step, { error: { code, message: `refusé (${step})` } });
    }
    const existing = byClientId.get(clientId);
    const id = existing ?? crypto.randomUUID();
    byClientId.set(clientId, id);
    const res = reply(existing ? 200 : 201, {
      id,
      images: Array.from({ length: photos }, () => ({ id: crypto.randomUUID() })),
      alreadyInBank: [],
    } as unknown as BankSubmissionCreated);
    // The server made it, but the answer never reached the phone.
    if (step === 'lose-answer') throw new TypeError('Failed to fetch');
    return res;
  };
  return { impl, calls, submissions: () => byClientId.size };
}

describe('photos queued for the image bank', () => {
  it('are sent once, with their clientId, and leave the device', async () => {
    newDb();
    const row = await keepBankUpload(db, AGRONOMIST, meta(), [photo(1), photo(2)]);
    const bank = fakeBank();
    const report = await flushBankUploads(db, AGRONOMIST, { fetchImpl: bank.impl });
    expect(report.sent).toHaveLength(1);
    expect(bank.calls).toEqual([{ clientId: row.clientId, photos: 2, status: 201 }]);
    expect(await db.bankUploads.count()).toBe(0);
    // Nothing left: a second run posts nothing.
    await flushBankUploads(db, AGRONOMIST, { fetchImpl: bank.impl });
    expect(bank.calls).toHaveLength(1);
  });

  it('a lost answer is resent and makes no second submission', async () => {
    newDb();
    const row = await keepBankUpload(db, AGRONOMIST, meta(), [photo(1)]);
    const bank = fakeBank(['lose-answer']);
    const first = await flushBankUploads(db, AGRONOMIST, { fetchImpl: bank.impl });
    expect(first).toMatchObject({ sent: [], failed: 1, stopped: 'network' });
    const kept = await db.bankUploads.get(row.clientId);
    expect(kept).toMatchObject({ state: 'failed', attempts: 1, permanentError: false });
    // Backing off: the 30 s timer does not resend it yet; the network coming back (force) does.
    await flushBankUploads(db, AGRONOMIST, { fetchImpl: bank.impl });
    expect(bank.calls).toHaveLength(1);
    await flushBankUploads(db, AGRONOMIST, { fetchImpl: bank.impl, force: true });
    expect(bank.calls.map((c) => c.status)).toEqual([201, 200]);
    expect(bank.submissions()).toBe(1);
    expect(await db.bankUploads.count()).toBe(0);
  });

  it('no network: the run stops at the first upload and the others wait untried', async () => {
    newDb();
    const a = await keepBankUpload(db, AGRONOMIST, meta(), [photo(1)], { now: 1_000 });
    const b = await keepBankUpload(db, AGRONOMIST, meta(), [photo(2)], { now: 2_000 });
    const bank = fakeBank(['drop']);
    await flushBankUploads(db, AGRONOMIST, { fetchImpl: bank.impl });
    expect((await db.bankUploads.get(a.clientId))?.attempts).toBe(1);
    expect(await db.bankUploads.get(b.clientId)).toMatchObject({ state: 'queued', attempts: 0 });
    await flushBankUploads(db, AGRONOMIST, { fetchImpl: bank.impl, force: true });
    expect(await db.bankUploads.count()).toBe(0);
    expect(bank.submissions()).toBe(2);
  });

  it('signed out: back in the queue without spending an attempt', async () => {
    newDb();
    const row = await keepBankUpload(db, AGRONOMIST, meta(), [photo(1)]);
    const report = await flushBankUploads(db, AGRONOMIST, { fetchImpl: fakeBank([401]).impl });
    expect(report.stopped).toBe('auth');
    expect(await db.bankUploads.get(row.clientId)).toMatchObject({
      state: 'queued',
      attempts: 0,
      lastError: AUTH_REQUIRED,
    });
  });

  it('a refused upload is kept with the reason and not retried by itself; the next one goes', async () => {
    newDb();
    const bad = await keepBankUpload(db, AGRONOMIST, meta({ classSlug: 'gone' }), [photo(1)], {
      now: 1_000,
    });
    await keepBankUpload(db, AGRONOMIST, meta(), [photo(2)], { now: 2_000 });
    const bank = fakeBank([422]);
    const report = await flushBankUploads(db, AGRONOMIST, { fetchImpl: bank.impl });
    expect(report).toMatchObject({ failed: 1, stopped: null });
    expect(report.sent).toHaveLength(1);
    expect(await db.bankUploads.toArray()).toMatchObject([
      { clientId: bad.clientId, permanentError: true, lastError: 'refusé (422)' },
    ]);
    await flushBankUploads(db, AGRONOMIST, { fetchImpl: bank.impl, force: true });
    expect(bank.calls).toHaveLength(2);
    // « Réessayer l'envoi » (the class exists now, say): it goes.
    await retryBankUpload(db, bad.clientId);
    await flushBankUploads(db, AGRONOMIST, { fetchImpl: bank.impl });
    expect(await db.bankUploads.count()).toBe(0);
  });

  it('a failing server is retried later, not given up', async () => {
    newDb();
    const row = await keepBankUpload(db, AGRONOMIST, meta(), [photo(1)]);
    await flushBankUploads(db, AGRONOMIST, { fetchImpl: fakeBank([503]).impl });
    expect(await db.bankUploads.get(row.clientId)).toMatchObject({
      state: 'failed',
      permanentError: false,
    });
  });

  it('another account’s uploads stay on the device, unsent, for their author', async () => {
    newDb();
    const theirs = await keepBankUpload(db, 'agronomist-2', meta(), [photo(1)]);
    const bank = fakeBank();
    await flushBankUploads(db, AGRONOMIST, { fetchImpl: bank.impl });
    expect(bank.calls).toEqual([]);
    expect(await db.bankUploads.get(theirs.clientId)).toMatchObject({ state: 'queued' });
    await flushBankUploads(db, 'agronomist-2', { fetchImpl: bank.impl });
    expect(bank.calls).toHaveLength(1);
  });

  it('an upload the page was sending when it closed is taken again once its lease is over', async () => {
    newDb();
    const now = Date.parse('2026-07-14T12:00:00Z');
    const row = await keepBankUpload(db, AGRONOMIST, meta(), [photo(1)], {
      state: 'sending',
      now,
    });
    expect(await claimDueBankUploads(db, AGRONOMIST, { now: now + 1_000 })).toEqual([]);
    const claimed = await claimDueBankUploads(db, AGRONOMIST, { now: now + SENDING_LEASE_MS + 1 });
    expect(claimed.map((r) => r.clientId)).toEqual([row.clientId]);
  });

  it('an upload its page did not live to finish is tried again at once, counting one try', async () => {
    newDb();
    const now = Date.parse('2026-07-14T12:00:00Z');
    const cut = await keepBankUpload(db, AGRONOMIST, meta(), [photo(1)], { state: 'sending', now });
    const queued = await keepBankUpload(db, AGRONOMIST, meta(), [photo(2)], { now: now + 1 });
    expect(await markBankUploadsInterrupted(db, now + 5_000)).toBe(1);
    expect(await db.bankUploads.get(cut.clientId)).toMatchObject({
      state: 'failed',
      attempts: 1,
      permanentError: false,
      lastError: INTERRUPTED,
      nextAttemptAt: new Date(now + 5_000).toISOString(),
    });
    expect(await db.bankUploads.get(queued.clientId)).toMatchObject({ state: 'queued' });
    const claimed = await claimDueBankUploads(db, AGRONOMIST, { now: now + 5_000 });
    expect(claimed.map((r) => r.clientId)).toEqual([cut.clientId, queued.clientId]);
  });

  it('Background Sync waits for a run in progress, then sends what that run left when its page died', async () => {
    newDb();
    const row = await keepBankUpload(db, AGRONOMIST, meta(), [photo(1)]);
    const locks = fakeWebLocks();
    vi.stubGlobal('navigator', { locks });
    try {
      // The page's run has claimed the upload when the page is closed, the signal just back.
      let pageDies = () => {};
      const pageRun = locks.request('phytodiag-bank-uploads', {}, async () => {
        await claimDueBankUploads(db, AGRONOMIST);
        await new Promise<void>((resolve) => (pageDies = resolve));
      });
      await expect
        .poll(async () => (await db.bankUploads.get(row.clientId))?.state)
        .toBe('sending');
      const bank = fakeBank();
      // Another page's run skips: the run in progress is sending.
      const skipped = await flushBankUploads(db, AGRONOMIST, { fetchImpl: bank.impl });
      expect(skipped.sent).toEqual([]);
      // The service worker's waits its turn instead of reporting its sync done.
      const sync = flushBankUploads(db, AGRONOMIST, { fetchImpl: bank.impl, wait: true });
      await expect.poll(async () => (await locks.query()).pending).toHaveLength(1);
      expect(bank.calls).toEqual([]);
      pageDies();
      await pageRun;
      expect((await sync).sent).toHaveLength(1);
      expect(bank.calls).toEqual([{ clientId: row.clientId, photos: 1, status: 201 }]);
      expect(await db.bankUploads.count()).toBe(0);
    } finally {
      vi.unstubAllGlobals();
    }
  });

  it('photos survive the database being closed and opened again (a restart in the field)', async () => {
    newDb();
    const row = await keepBankUpload(db, AGRONOMIST, meta(), [photo(7), photo(8)]);
    db.close();
    const again = new PhytoDb(db.name);
    const kept = await again.bankUploads.get(row.clientId);
    expect(kept?.photos.map((p) => p.size)).toEqual([3, 3]);
    expect(kept?.meta.clientId).toBe(row.clientId);
    again.close();
  });
});
