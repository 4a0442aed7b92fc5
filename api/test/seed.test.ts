import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedLibrary, type SeedReport } from '../src/seed/seed-library';
import { FACT_SHEETS_DIR } from '../src/seed/fact-sheets';
import { buildImageBank } from './helpers/image-bank';
import { expectError, register } from './helpers/http';
import { createTestApp, type TestApp } from './helpers/test-app';
import type { LibraryEntry, LibraryList, LibrarySync } from '../src/contract/library';

const SLUGS = ['potato_late_blight', 'apple_scab', 'insect_thrips'];

describe('library seed', () => {
  let t: TestApp;
  let bank: string;
  let sheets: string;
  let first: SeedReport;
  const warnings: string[] = [];
  const log = {
    info: () => undefined,
    warn: (_o: object, msg?: string) => void warnings.push(msg ?? ''),
  };

  beforeAll(async () => {
    t = await createTestApp();
    bank = join(t.tmp, 'bank');
    await buildImageBank(bank, SLUGS, 3);
    // A truncated JPEG in the bank must be skipped, not abort the seed.
    const good = await readFile(
      join(bank, 'apple_scab', (await readdir(join(bank, 'apple_scab')))[0] ?? ''),
    );
    await writeFile(
      join(bank, 'apple_scab', 'zz-truncated.jpg'),
      good.subarray(0, good.length / 3),
    );
    // Fact sheets: one valid (copied from the real folder when it exists), one invalid, one missing.
    sheets = join(t.tmp, 'sheets');
    await mkdir(sheets);
    const valid = {
      slug: 'potato_late_blight',
      lookAlikes: ['apple_scab', 'not_a_class'],
      ...Object.fromEntries(
        (['fr', 'en'] as const).map((l) => [
          l,
          {
            summary: `${l} summary`,
            symptoms: 's',
            lookAlikes: 'l',
            biology: 'b',
            scouting: 'sc',
            management: ['m1'],
            callLab: 'c',
            producer: { actNow: ['a'] },
            gardener: { plain: 'p', homeGarden: ['h'] },
          },
        ]),
      ),
    };
    await writeFile(join(sheets, 'potato_late_blight.json'), JSON.stringify(valid));
    await writeFile(
      join(sheets, 'apple_scab.json'),
      JSON.stringify({ slug: 'apple_scab', fr: {} }),
    );
    first = await seedLibrary(t.app.db, t.app.media, {
      imagebankDir: bank,
      factSheetsDir: sheets,
      log,
    });
  });
  afterAll(() => t.close());

  it('imports every class of the catalog and every valid image', () => {
    expect(first.classes).toBe(3);
    expect(first.entriesWritten).toBe(3);
    expect(first.imagesImported).toBe(9);
    expect(first.imagesFailed).toBe(1);
    expect(first.missingFactSheets).toEqual(['insect_thrips']);
    expect(first.invalidFactSheets).toEqual(['apple_scab']);
    expect(warnings).toContain('image skipped');
  });

  it('is idempotent: a second run changes nothing and re-processes nothing', async () => {
    const before = await t.app.inject({ url: '/api/library/sync' });
    const again = await seedLibrary(t.app.db, t.app.media, {
      imagebankDir: bank,
      factSheetsDir: sheets,
    });
    expect(again.entriesWritten).toBe(0);
    expect(again.imagesImported).toBe(0);
    expect(again.imagesAlreadyPresent).toBe(9);
    const counts = await t.app.db.one<{ e: number; i: number }>(
      'SELECT (SELECT COUNT(*)::int FROM library_entries) AS e, (SELECT COUNT(*)::int FROM bank_images) AS i',
    );
    expect(counts).toEqual({ e: 3, i: 9 });
    const after = await t.app.inject({ url: '/api/library/sync' });
    expect((after.json() as LibrarySync).revision).toBe((before.json() as LibrarySync).revision);
  });

  it('lists the library in the requested language', async () => {
    const res = await t.app.inject({ url: '/api/library?lang=en' });
    expect(res.statusCode).toBe(200);
    const list = res.json() as LibraryList;
    expect(list.items.map((i) => i.slug).sort()).toEqual([...SLUGS].sort());
    const potato = list.items.find((i) => i.slug === 'potato_late_blight');
    expect(potato).toMatchObject({
      name: 'Potato late blight',
      crop: 'Potato',
      hasFactSheet: true,
    });
    expect(potato?.iconUrl).toMatch(/^\/images\/[a-f0-9]{64}-96\.webp$/);
    const fr = (await t.app.inject({ url: '/api/library?lang=fr' })).json() as LibraryList;
    expect(fr.items.find((i) => i.slug === 'potato_late_blight')?.name).toBe(
      'Mildiou de la pomme de terre',
    );
  });

  it('serves an entry with its fact sheet, look-alikes and servable images', async () => {
    const res = await t.app.inject({ url: '/api/library/potato_late_blight?lang=en' });
    expect(res.statusCode).toBe(200);
    const entry = res.json() as LibraryEntry;
    expect(entry.factSheet?.summary).toBe('en summary');
    expect(entry.lookAlikes).toEqual(['apple_scab']);
    expect(entry.images).toHaveLength(3);
    expect(entry.images[0]?.licence).toContain('CC BY-SA');
    const img = await t.app.inject({ url: entry.images[0]?.url ?? '' });
    expect(img.statusCode).toBe(200);
    expect(img.headers['content-type']).toBe('image/jpeg');
    expect(img.headers['cache-control']).toBe('public, max-age=86400');
    const thumb = await t.app.inject({ url: entry.images[0]?.thumbUrl ?? '' });
    expect(thumb.headers['content-type']).toBe('image/webp');
    const again = await t.app.inject({
      url: entry.images[0]?.url ?? '',
      headers: { 'if-none-match': String(img.headers.etag) },
    });
    expect(again.statusCode).toBe(304);
    const missing = await t.app.inject({ url: '/api/library/insect_thrips' });
    expect((missing.json() as LibraryEntry).factSheet).toBeNull();
  });

  it('answers 404 UNKNOWN_SLUG for an unknown entry', async () => {
    expectError(await t.app.inject({ url: '/api/library/nope' }), 404, 'UNKNOWN_SLUG');
  });

  it('delta sync returns only entries changed since a revision, in both languages', async () => {
    const all = (await t.app.inject({ url: '/api/library/sync?since=0' })).json() as LibrarySync;
    expect(all.items).toHaveLength(3);
    expect(all.items.find((i) => i.slug === 'potato_late_blight')?.factSheet?.fr.summary).toBe(
      'fr summary',
    );
    const none = (
      await t.app.inject({ url: `/api/library/sync?since=${all.revision}` })
    ).json() as LibrarySync;
    expect(none).toEqual({ revision: all.revision, items: [] });
    // Changing one sheet bumps only that entry.
    const sheet = JSON.parse(await readFile(join(sheets, 'potato_late_blight.json'), 'utf8'));
    sheet.en.summary = 'changed';
    await writeFile(join(sheets, 'potato_late_blight.json'), JSON.stringify(sheet));
    await seedLibrary(t.app.db, t.app.media, { imagebankDir: bank, factSheetsDir: sheets });
    const delta = (
      await t.app.inject({ url: `/api/library/sync?since=${all.revision}` })
    ).json() as LibrarySync;
    expect(delta.items.map((i) => i.slug)).toEqual(['potato_late_blight']);
    expect(delta.revision).toBeGreaterThan(all.revision);
  });

  it('leaves an entry the lab edited in the app as the lab wrote it', async () => {
    await register(t.app, 'lab.editor@example.com');
    const editor = await t.app.repos.users.findByEmail('lab.editor@example.com');
    const entry = await t.app.repos.library.findEditable('potato_late_blight');
    if (!editor || !entry?.factSheet) throw new Error('seeded entry and editor expected');
    const labSheet = { ...entry.factSheet, en: { ...entry.factSheet.en, summary: 'lab summary' } };
    await t.app.repos.library.edit(
      'potato_late_blight',
      { ...entry, factSheet: labSheet },
      editor.id,
    );
    const before = (await t.app.inject({ url: '/api/library/sync' })).json() as LibrarySync;

    const sheet = JSON.parse(await readFile(join(sheets, 'potato_late_blight.json'), 'utf8'));
    sheet.en.summary = 'file summary';
    await writeFile(join(sheets, 'potato_late_blight.json'), JSON.stringify(sheet));
    const again = await seedLibrary(t.app.db, t.app.media, {
      imagebankDir: bank,
      factSheetsDir: sheets,
    });
    expect(again.keptLabEdits).toEqual(['potato_late_blight']);
    expect(again.entriesWritten).toBe(0);
    const after = (await t.app.inject({ url: '/api/library/sync' })).json() as LibrarySync;
    expect(after.revision).toBe(before.revision);
    const en = (
      await t.app.inject({ url: '/api/library/potato_late_blight?lang=en' })
    ).json() as LibraryEntry;
    expect(en.factSheet?.summary).toBe('lab summary');
  });

  it('the real fact sheets folder holds only valid sheets', async () => {
    // Whatever sheets exist so far must validate (missing ones are allowed while being written).
    const { loadFactSheet } = await import('../src/seed/fact-sheets');
    const files = (await readdir(FACT_SHEETS_DIR).catch(() => [])).filter((f) =>
      f.endsWith('.json'),
    );
    for (const f of files) {
      const result = await loadFactSheet(FACT_SHEETS_DIR, f.replace(/\.json$/, ''));
      expect({
        file: f,
        status: result.status,
        ...(result.status === 'invalid' ? { p: result.problems } : {}),
      }).toEqual({ file: f, status: 'ok' });
    }
  });
});
