import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { LibraryEntry, LibraryList, LibrarySync } from '../src/contract/library';
import { createSeededTestApp } from './helpers/seeded-app';
import type { TestApp } from './helpers/test-app';

const SLUGS = ['potato_late_blight', 'apple_scab'];
const onPostgres = Boolean(process.env.DATABASE_URL);

/**
 * Library reads are answered from memory per library revision while the `library_changed`
 * LISTEN subscription is live (services/revision-cache.ts). These prove that the cache saves the
 * database round trips AND never serves a change late: whoever writes (this API, another
 * instance, a psql session), the next reads see it.
 */
describe(`library cache (${onPostgres ? 'PostgreSQL' : 'PGlite'})`, () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createSeededTestApp({ slugs: SLUGS, demoPassword: 'library-cache-test-pw' });
  });
  afterAll(async () => t.close());

  const get = async <T>(url: string): Promise<T> => {
    const res = await t.app.inject({ url });
    expect(res.statusCode).toBe(200);
    return res.json<T>();
  };
  /** A write made behind the API's back, as another instance or an operator would. */
  const renameOutsideApi = (slug: string, name: string) =>
    t.app.db.query(
      `UPDATE library_entries SET name_fr = $2, revision = nextval('library_revision_seq')
       WHERE slug = $1`,
      [slug, name],
    );
  /** PGlite delivers notifications with the commit; PostgreSQL a moment after COMMIT returns. */
  async function eventually<T>(read: () => Promise<T>, ok: (v: T) => boolean): Promise<T> {
    const deadline = Date.now() + (onPostgres ? 5_000 : 0);
    for (;;) {
      const value = await read();
      if (ok(value) || Date.now() >= deadline) return value;
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  it('serves repeated reads without asking the database for the revision', async () => {
    expect(t.app.services.library.cache.live).toBe(true);
    await get<LibraryList>('/api/library?lang=fr');
    const spy = vi.spyOn(t.app.repos.library, 'currentRevision');
    try {
      for (let i = 0; i < 20; i++) {
        await get<LibraryList>('/api/library?lang=fr');
        await get<LibraryEntry>('/api/library/apple_scab?lang=fr');
        await get<LibrarySync>('/api/library/sync?since=0');
      }
      expect(spy).not.toHaveBeenCalled();
    } finally {
      spy.mockRestore();
    }
  });

  it('a change written outside the API is in the next list, entry and sync', async () => {
    const before = await get<LibraryList>('/api/library?lang=fr');
    await get<LibraryEntry>('/api/library/apple_scab?lang=fr');
    await renameOutsideApi('apple_scab', 'Tavelure (renommée)');

    const list = await eventually(
      () => get<LibraryList>('/api/library?lang=fr'),
      (l) => l.revision > before.revision,
    );
    expect(list.revision).toBeGreaterThan(before.revision);
    expect(list.items.find((i) => i.slug === 'apple_scab')?.name).toBe('Tavelure (renommée)');
    const entry = await get<LibraryEntry>('/api/library/apple_scab?lang=fr');
    expect(entry.name).toBe('Tavelure (renommée)');
    const sync = await get<LibrarySync>(`/api/library/sync?since=${before.revision}`);
    expect(sync.items.map((i) => i.slug)).toEqual(['apple_scab']);
    expect(sync.revision).toBe(list.revision);
  });

  it('keeps English and French answers apart', async () => {
    const fr = await get<LibraryList>('/api/library?lang=fr');
    const en = await get<LibraryList>('/api/library?lang=en');
    expect(fr.revision).toBe(en.revision);
    const late = (l: LibraryList) => l.items.find((i) => i.slug === 'potato_late_blight')?.name;
    expect(late(fr)).not.toBe(late(en));
  });

  it.skipIf(!onPostgres)(
    'without its LISTEN connection it reads the database, then listens again',
    async () => {
      const cache = t.app.services.library.cache;
      await get<LibraryList>('/api/library?lang=fr');
      // An operator (or a failover) ends the listening session: notifications are lost.
      await t.app.db.query(
        `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
         WHERE datname = current_database() AND query ILIKE 'LISTEN%'`,
      );
      await eventually(
        async () => cache.live,
        (live) => !live,
      );
      expect(cache.live).toBe(false);
      // Nobody hears this one; the reads must see it anyway.
      await renameOutsideApi('potato_late_blight', 'Mildiou (pendant la coupure)');
      const during = await get<LibraryList>('/api/library?lang=fr');
      expect(during.items.find((i) => i.slug === 'potato_late_blight')?.name).toBe(
        'Mildiou (pendant la coupure)',
      );
      // The subscription reconnects by itself, and notifications flow again.
      await eventually(
        async () => cache.live,
        (live) => live,
      );
      expect(cache.live).toBe(true);
      await get<LibraryList>('/api/library?lang=fr');
      await renameOutsideApi('potato_late_blight', 'Mildiou (après la coupure)');
      const after = await eventually(
        () => get<LibraryList>('/api/library?lang=fr'),
        (l) => l.items.some((i) => i.name === 'Mildiou (après la coupure)'),
      );
      expect(after.items.find((i) => i.slug === 'potato_late_blight')?.name).toBe(
        'Mildiou (après la coupure)',
      );
    },
  );
});
