import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EscalationList } from '../../src/contract/escalation';
import { encodeCursor } from '../../src/services/page-cursors';
import { createLabWorld, type LabWorld } from './lab-world';

// The staff queue in pages (keyset cursor): every case exactly once, in queue order, whatever the
// page size, and a case that leaves the queue's head between two pages shifts nothing.
describe('staff queue pages', () => {
  let w: LabWorld;
  beforeAll(async () => {
    w = await createLabWorld();
    // Agricultural clientele and gardeners interleaved in time: the queue puts gardeners last.
    for (const who of [
      'producer',
      'gardener',
      'other',
      'gardener',
      'producer',
      'other',
      'producer',
    ] as const)
      await w.newCase(w.as[who]);
  });
  afterAll(() => w.close());

  const page = async (query: string, cookie = w.as.specialist) => {
    const res = await w.call('GET', `/api/escalations?${query}`, cookie);
    expect(res.statusCode, JSON.stringify(res.json())).toBe(200);
    return res.json() as EscalationList;
  };

  const walk = async (limit: number) => {
    const ids: string[] = [];
    let cursor: string | null | undefined = null;
    let pages = 0;
    do {
      const p: EscalationList = await page(
        `limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
      );
      ids.push(...p.items.map((e) => e.id));
      cursor = p.nextCursor;
      pages++;
      if (cursor) expect(p.items).toHaveLength(limit);
    } while (cursor && pages < 20);
    return { ids, pages };
  };

  it('pages of 1, 2, 3 and 7 give the whole queue once, in order, and say when it ends', async () => {
    const all = await page('');
    expect(all.items).toHaveLength(7);
    expect(all.nextCursor).toBeNull();
    // Gardeners last (same bucket: every case is waiting for the lab).
    expect(all.items.map((e) => e.profileKind).slice(-2)).toEqual(['gardener', 'gardener']);
    const order = all.items.map((e) => e.id);
    for (const [limit, pages] of [
      [1, 7],
      [2, 4],
      [3, 3],
      [7, 1],
    ] as const) {
      const walked = await walk(limit);
      expect(walked.ids).toEqual(order);
      expect(walked.pages).toBe(pages);
    }
  });

  it('a case closed between two pages does not shift the next page', async () => {
    const first = await page('limit=3');
    const order = (await page('')).items.map((e) => e.id);
    // The head of the queue is closed by the lab: it moves to the "done" bucket at the end.
    const head = first.items[0];
    const closed = await w.call('POST', `/api/escalations/${head.id}/close`, w.as.specialist, {
      message: 'Doublon.',
    });
    expect(closed.statusCode).toBe(200);
    const rest = await page(`limit=10&cursor=${first.nextCursor ?? ''}`);
    // Cases 4..7 follow, then the closed one (it now sorts after every open case).
    expect(rest.items.map((e) => e.id)).toEqual([...order.slice(3), head.id]);
  });

  it('filters apply across pages, and counts stay those of the whole queue', async () => {
    const first = await page('limit=1&regionCode=03');
    expect(first.counts?.received).toBeGreaterThan(1);
    const second = await page(`limit=1&regionCode=03&cursor=${first.nextCursor ?? ''}`);
    expect(second.counts).toEqual(first.counts);
    expect(second.items[0]?.id).not.toBe(first.items[0]?.id);
  });

  it('a forged or damaged cursor is a 400 with a code and a French message, never a 500', async () => {
    const forged = [
      'abc',
      encodeCursor([0, false, 'not-a-date', '00000000-0000-0000-0000-000000000000']),
      encodeCursor([0, false, '2026-06-01T10:00:00.000000+00:00', "x' OR 1=1 --"]),
      Buffer.from('{"a":1}').toString('base64url'),
      Buffer.from('[0,false,"2026-06-01T10:00:00Z"]').toString('base64url'),
      // Past what the SQL types hold: they used to reach PostgreSQL and come back as 500s.
      encodeCursor([
        2 ** 31,
        false,
        '2026-06-01T10:00:00Z',
        '00000000-0000-0000-0000-000000000000',
      ]),
      encodeCursor([1e300, false, '2026-06-01T10:00:00Z', '00000000-0000-0000-0000-000000000000']),
      encodeCursor([1, false, '2026-02-30T00:00:00Z', '00000000-0000-0000-0000-000000000000']),
      encodeCursor([1, false, '0000-01-01T00:00:00Z', '00000000-0000-0000-0000-000000000000']),
    ];
    for (const cursor of forged) {
      const res = await w.call('GET', `/api/escalations?cursor=${cursor}`, w.as.specialist);
      expect(res.statusCode, cursor).toBe(400);
      const body = res.json() as { error: { code: string; message: string } };
      expect(body.error.code).toBe('INVALID_CURSOR');
      expect(body.error.message).toMatch(/curseur/);
    }
    for (const query of ['cursor=%21%21', 'limit=0', 'limit=201', 'limit=abc']) {
      const res = await w.call('GET', `/api/escalations?${query}`, w.as.specialist);
      expect(res.statusCode, query).toBe(400);
      expect((res.json() as { error: { code: string } }).error.code).toBe('VALIDATION_ERROR');
    }
  });

  it('producers page through their own cases only, newest first', async () => {
    const own = await page('', w.as.producer);
    expect(own.nextCursor).toBeNull();
    expect(own.counts).toBeUndefined();
    const order = own.items.map((e) => e.id);
    expect(order.length).toBeGreaterThan(2);
    const created = own.items.map((e) => e.createdAt);
    expect(created).toEqual([...created].sort().reverse());
    for (const limit of [1, 2]) {
      const ids: string[] = [];
      let cursor: string | null | undefined = null;
      do {
        const p: EscalationList = await page(
          `limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`,
          w.as.producer,
        );
        ids.push(...p.items.map((e) => e.id));
        cursor = p.nextCursor;
      } while (cursor && ids.length < 50);
      expect(ids).toEqual(order);
    }
    // A case sent between two pages goes on top: the next page is not shifted.
    const first = await page('limit=1', w.as.producer);
    const fresh = await w.newCase(w.as.producer);
    const second = await page(`limit=1&cursor=${first.nextCursor ?? ''}`, w.as.producer);
    expect(second.items.map((e) => e.id)).toEqual([order[1]]);
    expect((await page('limit=1', w.as.producer)).items[0]?.id).toBe(fresh.id);
    // Someone else's cursor shows nothing of theirs: the owner filter comes first.
    const others = await page(`cursor=${first.nextCursor ?? ''}`, w.as.other);
    expect(others.items.every((e) => !order.includes(e.id))).toBe(true);
  });

  it('staff asking for their own cases get theirs, not the queue', async () => {
    expect((await page('')).items.length).toBeGreaterThan(0);
    expect((await page('mine=true')).items).toEqual([]);
    expect((await page('mine=true', w.as.admin)).items).toEqual([]);
    const own = await w.newCase(w.as.specialist);
    expect((await page('mine=true')).items.map((e) => e.id)).toEqual([own.id]);
    // The queue still holds everyone's, the specialist's own included.
    expect((await page('')).items.map((e) => e.id)).toContain(own.id);
    // For a client, mine=true is what they get anyway.
    const producer = (await page('', w.as.producer)).items.map((e) => e.id);
    expect((await page('mine=true', w.as.producer)).items.map((e) => e.id)).toEqual(producer);
  });

  it("a cursor of the other list is refused: staff queue vs a client's own cases", async () => {
    const queueCursor = (await page('limit=1')).nextCursor ?? '';
    const ownCursor = (await page('limit=1', w.as.producer)).nextCursor ?? '';
    expect(queueCursor && ownCursor).toBeTruthy();
    for (const [cursor, cookie] of [
      [queueCursor, w.as.producer],
      [ownCursor, w.as.specialist],
      [encodeCursor(['2026-06-01T10:00:00Z', "x' OR 1=1 --"]), w.as.producer],
      [encodeCursor(['yesterday', '00000000-0000-0000-0000-000000000000']), w.as.producer],
      [
        encodeCursor(['2026-02-30T00:00:00Z', '00000000-0000-0000-0000-000000000000']),
        w.as.producer,
      ],
      [
        encodeCursor(['0000-01-01T00:00:00Z', '00000000-0000-0000-0000-000000000000']),
        w.as.producer,
      ],
    ] as const) {
      const res = await w.call('GET', `/api/escalations?cursor=${cursor}`, cookie);
      expect(res.statusCode, cursor).toBe(400);
      expect((res.json() as { error: { code: string } }).error.code).toBe('INVALID_CURSOR');
    }
  });
});
