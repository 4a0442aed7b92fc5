import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FactSheetFile } from '../../src/contract/fact-sheet';
import type { LibraryEntry, LibraryList, LibrarySync } from '../../src/contract/library';
import type { EditableLibraryEntry, LibraryEntryEditBody } from '../../src/contract/library-edit';
import type { TeamMember } from '../../src/contract/user';
import { FACT_SHEETS_DIR, loadFactSheet } from '../../src/seed/fact-sheets';
import { expectError, login, register } from '../helpers/http';
import { createLabWorld, type LabWorld } from './lab-world';

const SLUG = 'potato_late_blight';
const onPostgres = Boolean(process.env.DATABASE_URL);

/**
 * The lab writes and corrects library entries in the app. The world's entries start as a
 * proposed class does: catalog names and no fact sheet.
 */
describe(`library entries edited by the lab (${onPostgres ? 'PostgreSQL' : 'PGlite'})`, () => {
  let w: LabWorld;
  let sheet: FactSheetFile;

  beforeAll(async () => {
    w = await createLabWorld();
    const loaded = await loadFactSheet(FACT_SHEETS_DIR, SLUG);
    if (loaded.status !== 'ok') throw new Error('the authored potato_late_blight sheet is needed');
    sheet = loaded.sheet;
  });
  afterAll(async () => w.close());

  const open = async (slug = SLUG, cookie = w.as.specialist) => {
    const res = await w.call('GET', `/api/library/${slug}/editable`, cookie);
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as EditableLibraryEntry;
  };
  const bodyOf = (e: EditableLibraryEntry): LibraryEntryEditBody => ({
    edition: e.edition,
    name: e.name,
    crop: e.crop,
    scientificName: e.scientificName,
    lookAlikes: e.lookAlikes,
    factSheet: e.factSheet,
  });
  const save = (body: unknown, slug = SLUG, cookie = w.as.specialist) =>
    w.call('PUT', `/api/library/${slug}`, cookie, body);
  const sync = async (since: number) => {
    const res = await w.call('GET', `/api/library/sync?since=${since}`);
    return res.json() as LibrarySync;
  };

  it('opens an entry in both languages, as the catalog gave it', async () => {
    const res = await w.call('GET', `/api/library/${SLUG}/editable`, w.as.specialist);
    expect(res.headers['cache-control']).toBe('no-store');
    const e = res.json() as EditableLibraryEntry;
    expect(e).toMatchObject({
      slug: SLUG,
      kind: 'disease',
      factSheet: null,
      lastEdit: null,
      earlier: [],
    });
    expect(e.name.fr).not.toBe(e.name.en);
    expect(e.edition).toBeGreaterThanOrEqual(1);
    expectError(
      await w.call('GET', '/api/library/no_such_class/editable', w.as.admin),
      404,
      'UNKNOWN_SLUG',
    );
  });

  it('writes the first fact sheet; devices get it with the next delta sync', async () => {
    const before = await open();
    const { revision } = await sync(0);
    const res = await save({
      ...bodyOf(before),
      scientificName: '  Phytophthora infestans (Mont.) de Bary ',
      lookAlikes: ['potato_early_blight'],
      factSheet: { fr: sheet.fr, en: sheet.en },
    });
    expect(res.statusCode, res.body).toBe(200);
    const after = res.json() as EditableLibraryEntry;
    expect(after.edition).toBe(before.edition + 1);
    expect(after.scientificName).toBe('Phytophthora infestans (Mont.) de Bary');
    expect(after.lastEdit).toEqual({ at: expect.any(String), by: 'specialiste@demo.local' });

    const delta = await sync(revision);
    expect(delta.items.map((i) => i.slug)).toEqual([SLUG]);
    expect(delta.items[0]!.factSheet?.en.summary).toBe(sheet.en.summary);
    const fr = (await w.call('GET', `/api/library/${SLUG}?lang=fr`)).json() as LibraryEntry;
    expect(fr.factSheet?.summary).toBe(sheet.fr.summary);
    expect(fr.lookAlikes).toEqual(['potato_early_blight']);
    const list = (await w.call('GET', '/api/library?lang=fr')).json() as LibraryList;
    expect(list.items.find((i) => i.slug === SLUG)?.hasFactSheet).toBe(true);
  });

  it('saving what is there already changes nothing a device would download', async () => {
    const e = await open();
    const { revision } = await sync(0);
    const res = await save(bodyOf(e));
    expect(res.statusCode, res.body).toBe(200);
    expect((res.json() as EditableLibraryEntry).edition).toBe(e.edition);
    expect((await sync(revision)).items).toEqual([]);
  });

  it('trims what the text boxes add around the text', async () => {
    const e = await open();
    const fr = { ...e.factSheet!.fr, summary: `\n  ${e.factSheet!.fr.summary} Résumé revu.  \n` };
    fr.management = [...fr.management.slice(0, -1), `${fr.management.at(-1)!}\n`];
    const res = await save({ ...bodyOf(e), factSheet: { fr, en: e.factSheet!.en } });
    expect(res.statusCode, res.body).toBe(200);
    const saved = (res.json() as EditableLibraryEntry).factSheet!.fr;
    expect(saved.summary).toBe(`${e.factSheet!.fr.summary} Résumé revu.`);
    expect(saved.management).toEqual(e.factSheet!.fr.management);
  });

  it('a colleague who saved meanwhile is never overwritten', async () => {
    const mine = await open(SLUG, w.as.specialist);
    const theirs = await open(SLUG, w.as.admin);
    const first = await save(
      { ...bodyOf(theirs), name: { ...theirs.name, fr: 'Mildiou de la pomme de terre (revu)' } },
      SLUG,
      w.as.admin,
    );
    expect(first.statusCode, first.body).toBe(200);
    const second = await save({ ...bodyOf(mine), name: { ...mine.name, fr: 'Autre nom' } });
    expectError(second, 409, 'LIBRARY_EDIT_CONFLICT');
    const now = await open();
    expect(now.name.fr).toBe('Mildiou de la pomme de terre (revu)');
    expect(now.lastEdit?.by).toBe('admin@demo.local');
  });

  it('a photo validated meanwhile does not spoil the save', async () => {
    const e = await open();
    await w.t.app.repos.library.touch(SLUG); // what validating a bank photo does
    const res = await save({ ...bodyOf(e), crop: { fr: 'Pomme de terre', en: 'Potato' } });
    expect(res.statusCode, res.body).toBe(200);
  });

  it('refuses bad input with a clear error and keeps the entry as it was', async () => {
    const e = await open();
    const sheetWith = (summary: string) => ({
      fr: { ...e.factSheet!.fr, summary },
      en: e.factSheet!.en,
    });
    const refusals: [unknown, number, string][] = [
      [{ ...bodyOf(e), factSheet: sheetWith('   ') }, 400, 'VALIDATION_ERROR'],
      [{ ...bodyOf(e), factSheet: sheetWith('x'.repeat(3001)) }, 400, 'VALIDATION_ERROR'],
      [{ ...bodyOf(e), name: { fr: '', en: 'Late blight' } }, 400, 'VALIDATION_ERROR'],
      [{ ...bodyOf(e), kind: 'weed' }, 400, 'VALIDATION_ERROR'],
      [{ ...bodyOf(e), lookAlikes: ['no_such_class'] }, 422, 'INVALID_LOOK_ALIKE'],
      [{ ...bodyOf(e), lookAlikes: [SLUG] }, 422, 'INVALID_LOOK_ALIKE'],
      [{ ...bodyOf(e), factSheet: null }, 400, 'FACT_SHEET_REQUIRED'],
    ];
    for (const [body, status, code] of refusals) expectError(await save(body), status, code);
    const unknown = await save({ ...bodyOf(e), lookAlikes: ['no_such_class'] });
    expect((unknown.json() as { error: { message: string } }).error.message).toContain(
      'no_such_class',
    );
    expectError(await save(bodyOf(e), 'no_such_class'), 404, 'UNKNOWN_SLUG');
    expect(await open()).toEqual(e);
  });

  it('keeps every edition a save replaced; an earlier one can be taken back', async () => {
    const e = await open();
    // Every save above kept what it replaced, newest first; the first is the catalog's.
    expect(e.earlier.map((x) => x.edition)).toEqual(
      [...Array(e.edition - 1).keys()].map((i) => e.edition - 1 - i),
    );
    const original = e.earlier.at(-1)!;
    expect(original.lastEdit).toBeNull();
    expect(e.earlier[0]!.lastEdit?.by).toMatch(/@demo\.local$/);

    const res = await w.call(
      'GET',
      `/api/library/${SLUG}/editions/${original.edition}`,
      w.as.specialist,
    );
    expect(res.statusCode, res.body).toBe(200);
    const content = res.json() as EditableLibraryEntry;
    expect(content).toMatchObject({ edition: original.edition, factSheet: null, lookAlikes: [] });
    // Taking the catalog's names back is a new save: the admin's rename is kept in turn.
    expect(e.name.fr).toBe('Mildiou de la pomme de terre (revu)');
    const back = await save({
      ...bodyOf(e),
      name: content.name,
      scientificName: content.scientificName,
    });
    expect(back.statusCode, back.body).toBe(200);
    const now = back.json() as EditableLibraryEntry;
    expect(now.name).toEqual(content.name);
    expect(now.factSheet).toEqual(e.factSheet);
    expect(now.earlier[0]!.edition).toBe(e.edition);
    const kept = await w.call('GET', `/api/library/${SLUG}/editions/${e.edition}`, w.as.admin);
    expect((kept.json() as EditableLibraryEntry).name.fr).toBe(
      'Mildiou de la pomme de terre (revu)',
    );

    // No such edition, or no edition number at all: nothing to find.
    for (const bad of [9999, 0, 'abc'])
      expectError(
        await w.call('GET', `/api/library/${SLUG}/editions/${bad}`, w.as.admin),
        404,
        'NOT_FOUND',
      );
  });

  it('only the lab edits: agronomists and producers are refused', async () => {
    const e = await open('potato_early_blight');
    for (const cookie of [w.as.agronomist, w.as.producer]) {
      expectError(
        await w.call('GET', '/api/library/potato_early_blight/editable', cookie),
        403,
        'FORBIDDEN',
      );
      expectError(await save(bodyOf(e), 'potato_early_blight', cookie), 403, 'FORBIDDEN');
    }
    expectError(await save(bodyOf(e), 'potato_early_blight', ''), 401, 'UNAUTHENTICATED');
    expect(await open('potato_early_blight')).toEqual(e);
  });

  it('an editor who deletes their account is anonymised; the entry reads « deleted »', async () => {
    await register(w.t.app, 'editrice@example.com');
    const found = await w.call('GET', '/api/users?q=editrice', w.as.admin);
    const member = (found.json() as { items: TeamMember[] }).items[0]!;
    const role = await w.call('PATCH', `/api/users/${member.id}/role`, w.as.admin, {
      role: 'specialist',
    });
    expect(role.statusCode, role.body).toBe(200);
    const cookie = await login(w.t.app, 'editrice@example.com');
    const e = await open('tomato_late_blight', cookie);
    const saved = await save(
      { ...bodyOf(e), scientificName: 'Phytophthora infestans de Bary' },
      'tomato_late_blight',
      cookie,
    );
    expect(saved.statusCode, saved.body).toBe(200);
    const edit = (saved.json() as EditableLibraryEntry).lastEdit;
    expect(edit?.by).toBe('editrice@example.com');
    const gone = await w.call('POST', '/api/privacy/delete', cookie, {
      password: 'correct-horse-battery',
    });
    expect(gone.statusCode, gone.body).toBe(204);
    const after = await open('tomato_late_blight');
    expect(after.lastEdit).toEqual({ at: edit?.at, by: null });
    expect(after.scientificName).toBe('Phytophthora infestans de Bary');
  });
});
