import Dexie from 'dexie';
import { afterEach, describe, expect, it } from 'vitest';
import type { Escalation, EscalationMessage } from '@phytodiag/api/contract';
import { PhytoDb } from '../src/db/db';
import { readSettings } from '../src/db/settings';
import { perPhotoProgress, queueUrl } from '../src/lab/lab-api';
import { PHONE_NUMBER } from '../src/lab/limits';
import { duplicateEntry, slugFrom } from '../src/lab/slug';
import { telHref } from '../src/lab/tel-href';
import { messageTimeText } from '../src/lab/written-at';
import { formatDateTime } from '../src/state/format';
import { translator } from './translator';
import { anEscalation, ID } from './escalation-fixture';
import { canMove } from '../src/lab/transitions';
import {
  refreshMyCase,
  refreshMyCases,
  reopenableUntil,
  saveMyCases,
  toMyCase,
} from '../src/outbox/my-cases';

const dbs: PhytoDb[] = [];
afterEach(async () => {
  for (const db of dbs.splice(0)) {
    db.close();
    await Dexie.delete(db.name);
  }
});
function newDb(): PhytoDb {
  const db = new PhytoDb(`lab-${crypto.randomUUID()}`);
  dbs.push(db);
  return db;
}

const aMessage = (body: string): EscalationMessage => ({
  id: crypto.randomUUID(),
  body,
  author: { id: crypto.randomUUID(), name: 'Lab', role: 'specialist' },
  fromOwner: false,
  photos: [],
  createdAt: '2026-06-02T11:00:00.000Z',
  writtenAt: null,
});

describe('my cases (offline copy of the lab workflow)', () => {
  it('stores answer, thread and rating, and a list refresh keeps the synced thread', async () => {
    const db = newDb();
    const calls: string[] = [];
    const fetchImpl: typeof fetch = async (input) => {
      const url = String(input);
      calls.push(url);
      const body = url.endsWith('/messages')
        ? { items: [aMessage('Pouvez-vous envoyer une photo du dessous?')] }
        : anEscalation();
      return new Response(JSON.stringify(body), { status: 200 });
    };
    await refreshMyCase(db, ID, fetchImpl);
    expect(calls).toEqual([`/api/escalations/${ID}`, `/api/escalations/${ID}/messages`]);
    let row = await db.myCases.get(ID);
    expect(row?.answer?.recommendations).toBe('Rien à faire cette année.');
    expect(row?.messages?.map((m) => m.body)).toEqual([
      'Pouvez-vous envoyer une photo du dessous?',
    ]);

    // The list endpoint has no thread: saving the list must not wipe it.
    const rated = anEscalation({
      status: 'closed',
      rating: { score: 4, comment: null, at: '2026-06-03T00:00:00.000Z' },
    });
    await saveMyCases(db, [rated], Date.now());
    row = await db.myCases.get(ID);
    expect(row?.status).toBe('closed');
    expect(row?.rating?.score).toBe(4);
    expect(row?.messages).toHaveLength(1);
  });

  it('a message the device sent while the thread was read stays in its copy, in order', async () => {
    const db = newDb();
    const question = aMessage('Une question du laboratoire.');
    const mine = { ...aMessage('Ma réponse, envoyée pendant la lecture.'), fromOwner: true };
    mine.createdAt = '2026-06-02T12:00:00.000Z';
    const fetchImpl: typeof fetch = async (input) => {
      const url = String(input);
      // The thread as read just before the device's message reached the server; meanwhile the
      // sender wrote that message into the device's copy.
      if (url.endsWith('/messages')) {
        await db.myCases.put({ ...toMyCase(anEscalation()), messages: [mine] });
        return new Response(JSON.stringify({ items: [question] }), { status: 200 });
      }
      return new Response(JSON.stringify(anEscalation()), { status: 200 });
    };
    await refreshMyCase(db, ID, fetchImpl);
    expect((await db.myCases.get(ID))?.messages?.map((m) => m.body)).toEqual([
      'Une question du laboratoire.',
      'Ma réponse, envoyée pendant la lecture.',
    ]);
  });

  it('reads rows written before the lab workflow (no thread, no rating)', async () => {
    const db = newDb();
    await db.myCases.put({
      id: 'old',
      clientId: null,
      createdAt: '2026-01-01T00:00:00.000Z',
      updatedAt: '2026-01-01T00:00:00.000Z',
      status: 'received',
      crop: 'Tomate',
      description: '',
      answer: null,
    });
    await saveMyCases(db, [anEscalation({ id: 'old' as string })], Date.now());
    const row = await db.myCases.get('old');
    expect(row?.messages).toEqual([]);
    expect(row?.answer?.diagnosisSlug).toBe('corn_common_rust');
  });
});

describe('a closed case its requester may reopen by writing', () => {
  const step = (from: Escalation['status'] | null, to: Escalation['status'], at: string) => ({
    from,
    to,
    at,
    by: null,
  });
  const received = step(null, 'received', '2026-06-01T10:00:00.000Z');

  it('is one the lab had responded to, for 30 days after its latest closing', () => {
    const closedTwice = anEscalation({
      status: 'closed',
      history: [
        received,
        step('received', 'answered', '2026-06-02T10:00:00.000Z'),
        step('answered', 'closed', '2026-06-03T10:00:00.000Z'),
        step('closed', 'answered', '2026-06-20T10:00:00.000Z'),
        step('answered', 'closed', '2026-06-21T10:00:00.000Z'),
      ],
    });
    expect(reopenableUntil(closedTwice)).toBe('2026-07-21T10:00:00.000Z');
    // A sample request is a response too.
    const sampled = anEscalation({
      status: 'closed',
      history: [
        received,
        step('received', 'sample_requested', '2026-06-02T10:00:00.000Z'),
        step('sample_requested', 'closed', '2026-06-05T10:00:00.000Z'),
      ],
    });
    expect(reopenableUntil(sampled)).toBe('2026-07-05T10:00:00.000Z');
  });

  it('is never one withdrawn or closed before any response, nor one still open', () => {
    const withdrawn = anEscalation({
      status: 'closed',
      answer: null,
      history: [received, step('received', 'closed', '2026-06-01T11:00:00.000Z')],
    });
    expect(reopenableUntil(withdrawn)).toBeNull();
    expect(
      reopenableUntil(
        anEscalation({ history: [received, step('received', 'answered', received.at)] }),
      ),
    ).toBeNull();
  });
});

describe('my cases in pages', () => {
  it('mirrors the newest page, then older pages on request, keeping what it has', async () => {
    const db = newDb();
    // Five cases on the server, newest first, two per page; the cursor is the last id shown.
    const server = [5, 4, 3, 2, 1].map((n) =>
      anEscalation({
        id: `00000000-0000-4000-8000-00000000000${n}`,
        createdAt: `2026-06-0${n}T10:00:00.000Z`,
        answer: null,
        status: 'received',
      }),
    );
    const urls: string[] = [];
    const fetchImpl: typeof fetch = async (input) => {
      const url = new URL(String(input), 'http://x');
      urls.push(url.pathname + url.search);
      const after = url.searchParams.get('cursor');
      const start = after === null ? 0 : server.findIndex((e) => e.id === after) + 1;
      const items = server.slice(start, start + 2);
      const nextCursor = start + 2 < server.length ? (items.at(-1)?.id ?? null) : null;
      return new Response(JSON.stringify({ items, nextCursor }), { status: 200 });
    };
    const ids = () => db.myCases.count();

    const stored = async () => (await readSettings(db)).olderCasesCursor;
    expect(await stored()).toBeUndefined();
    const first = await refreshMyCases(db, fetchImpl);
    expect(first).toEqual({ count: 2, nextCursor: server[1]?.id });
    expect(await ids()).toBe(2);
    // Kept for the "older requests" button, whoever made the refresh.
    expect(await stored()).toBe(server[1]?.id);
    const second = await refreshMyCases(db, fetchImpl, first.nextCursor ?? undefined);
    expect(second.nextCursor).toBe(server[3]?.id);
    // The newest page again points back at the second page: older cases may have come from
    // another device since (here it only reloads what this device holds).
    await refreshMyCases(db, fetchImpl);
    expect(await stored()).toBe(server[1]?.id);
    await refreshMyCases(db, fetchImpl, server[1]?.id);
    const last = await refreshMyCases(db, fetchImpl, second.nextCursor ?? undefined);
    expect(last).toEqual({ count: 1, nextCursor: null });
    expect(await stored()).toBeNull();
    expect((await db.myCases.toArray()).map((r) => r.id).sort()).toEqual(
      server.map((e) => e.id).sort(),
    );
    expect(urls).toEqual([
      '/api/escalations?mine=true',
      `/api/escalations?mine=true&cursor=${server[1]?.id}`,
      '/api/escalations?mine=true',
      `/api/escalations?mine=true&cursor=${server[1]?.id}`,
      `/api/escalations?mine=true&cursor=${server[3]?.id}`,
    ]);
    // A later refresh of the newest page keeps the older cases on the device.
    await refreshMyCases(db, fetchImpl);
    expect(await ids()).toBe(5);
  });
});

describe('lab helpers', () => {
  it('builds the queue URL from the set filters only', () => {
    expect(queueUrl({})).toBe('/api/escalations');
    expect(queueUrl({ status: 'received', crop: 'Maïs', regionCode: undefined })).toBe(
      '/api/escalations?status=received&crop=Ma%C3%AFs',
    );
  });

  it('splits upload progress per photo, in send order', () => {
    expect(perPhotoProgress([100, 300, 100], 0)).toEqual([0, 0, 0]);
    expect(perPhotoProgress([100, 300, 100], 250)).toEqual([1, 0.5, 0]);
    expect(perPhotoProgress([100, 300, 100], 500)).toEqual([1, 1, 1]);
    expect(perPhotoProgress([100], 1e9)).toEqual([1]);
  });

  it('makes API-valid slugs from proposed class names', () => {
    const pattern = /^[a-z][a-z0-9_]{2,99}$/;
    for (const name of ['Tache noire (pomme)', 'Écaille', '2e génération', 'X', 'a'.repeat(300)])
      expect(slugFrom(name)).toMatch(pattern);
    expect(slugFrom('Tache noire (pomme)')).toBe('tache_noire_pomme');
  });

  it('finds the library entry a proposed class would duplicate', () => {
    const entries = [
      { slug: 'apple_scab', name: { fr: 'Tavelure du pommier', en: 'Apple scab' } },
      { slug: 'tache_noire_pomme', name: { fr: 'Pourriture noire', en: 'Black rot' } },
    ];
    const find = (nameFr: string, nameEn: string) =>
      duplicateEntry(entries, { nameFr, nameEn })?.slug ?? null;
    expect(find('TAVELURE  du pommier', 'Scab')).toBe('apple_scab');
    expect(find('Tavelure', 'apple-scab ')).toBe('apple_scab');
    expect(find('Tache noire (pomme)', 'Something')).toBe('tache_noire_pomme');
    expect(find('Tavelure du poirier', 'Pear scab')).toBeNull();
    // Empty fields (the form being filled in) match nothing.
    expect(find('', '')).toBeNull();
    expect(find(' ', 'Pear scab')).toBeNull();
  });

  it('offers only the transitions the API accepts', () => {
    expect(canMove('received', 'in_review')).toBe(true);
    expect(canMove('sample_requested', 'sample_received')).toBe(true);
    expect(canMove('answered', 'sample_requested')).toBe(false);
    expect(canMove('closed', 'closed')).toBe(false);
  });
});

describe('call-back numbers', () => {
  it('link to the number, its extension in ;ext= rather than glued to its digits', () => {
    expect(telHref('+1 (418) 555-0199')).toBe('tel:+14185550199');
    expect(telHref('418 555-0142 poste 123')).toBe('tel:4185550142;ext=123');
    expect(telHref('418-555-0142 ext. 12')).toBe('tel:4185550142;ext=12');
    expect(telHref('4185550142 x7')).toBe('tel:4185550142;ext=7');
    expect(telHref('418 555-0142 #45')).toBe('tel:4185550142;ext=45');
  });

  it('are accepted with an extension by the form as by the API', () => {
    for (const ok of [
      '418 555-0142',
      '418 555-0142 poste 123',
      '418-555-0142 Ext. 12',
      '+1 418 555 0142 x7',
    ]) {
      expect(PHONE_NUMBER.test(ok), ok).toBe(true);
    }
    for (const bad of ['poste 123', '418 555-0142 poste', '418 555-0142 bureau 12', '12']) {
      expect(PHONE_NUMBER.test(bad), bad).toBe(false);
    }
  });
});

describe('when a thread message was written, beside when it arrived', () => {
  const received = '2026-06-02T23:30:00.000Z';
  const written = '2026-06-02T18:02:00.000Z';
  // Dates read in the process's zone: compared with the app's own formatting of each.
  const at = (iso: string, lang: 'fr' | 'en') => formatDateTime(iso, lang);
  it('says both when it waited on its device, one time otherwise', async () => {
    const t = await translator('fr');
    expect(messageTimeText({ createdAt: received, writtenAt: written }, t, 'fr')).toBe(
      `écrit le ${at(written, 'fr')} sans réseau, reçu le ${at(received, 'fr')}`,
    );
    // Sent at once (seconds apart), from the lab's own screen, or kept by an older app: arrival.
    for (const writtenAt of ['2026-06-02T23:29:30.000Z', null, undefined]) {
      expect(messageTimeText({ createdAt: received, writtenAt }, t, 'fr')).toBe(at(received, 'fr'));
    }
    const en = await translator('en');
    expect(messageTimeText({ createdAt: received, writtenAt: written }, en, 'en')).toBe(
      `written ${at(written, 'en')} with no signal, received ${at(received, 'en')}`,
    );
  });
});
