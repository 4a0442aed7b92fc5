import { readFileSync } from 'node:fs';
import Dexie from 'dexie';
import { describe, expect, it } from 'vitest';
import type { EditableLibraryEntry, FactSheetFile } from '@phytodiag/api/contract';
import { SHEET_FIELDS, toBody, toForm } from '../src/library/entry-form';
import { href, parseRoute } from '../src/state/router';
import { PhytoDb } from '../src/db/db';
import { declareV1 } from '../src/db/schema';
import { dropEntryDraft, keepEntryDraft, readEntryDraft } from '../src/library/entry-drafts';

// A real authored sheet: the editor must give back exactly what it opened.
const file = JSON.parse(
  readFileSync(new URL('../../api/src/seed/fact-sheets/apple_scab.json', import.meta.url), 'utf8'),
) as FactSheetFile;

const entry = (factSheet: EditableLibraryEntry['factSheet']): EditableLibraryEntry => ({
  slug: 'apple_scab',
  kind: 'disease',
  name: { fr: 'Tavelure du pommier', en: 'Apple scab' },
  crop: { fr: 'Pommier', en: 'Apple' },
  scientificName: 'Venturia inaequalis',
  lookAlikes: ['apple_black_rot'],
  factSheet,
  edition: 4,
  lastEdit: null,
  earlier: [],
});

describe('the library entry editor form', () => {
  it('gives back what it opened, unchanged', () => {
    const e = entry({ fr: file.fr, en: file.en });
    const result = toBody(toForm(e), e.edition);
    expect(result).toEqual({
      body: {
        edition: 4,
        name: e.name,
        crop: e.crop,
        scientificName: e.scientificName,
        lookAlikes: e.lookAlikes,
        factSheet: e.factSheet,
      },
    });
  });

  it('reads lists one item per line, ignoring blank lines and outer spaces', () => {
    const form = toForm(entry({ fr: file.fr, en: file.en }));
    form.sheet.fr.management = '  Tailler.  \n\n\nRamasser les feuilles.\n';
    form.sheet.en.summary = '  Apple scab.  ';
    form.scientificName = '   ';
    const result = toBody(form, 4);
    if (!('body' in result)) throw new Error(JSON.stringify(result));
    expect(result.body.factSheet?.fr.management).toEqual(['Tailler.', 'Ramasser les feuilles.']);
    expect(result.body.factSheet?.en.summary).toBe('Apple scab.');
    expect(result.body.scientificName).toBeNull();
  });

  it('a sheet not started stays « not written »; a started one needs every field', () => {
    const blank = toForm(entry(null));
    expect(toBody(blank, 1)).toEqual({ body: expect.objectContaining({ factSheet: null }) });

    blank.sheet.fr.summary = 'Une maladie.';
    blank.name.en = ' ';
    const result = toBody(blank, 1);
    if (!('missing' in result)) throw new Error('a started sheet must be complete');
    expect(result.missing).toContainEqual({ lang: 'en', field: 'name' });
    expect(result.missing.filter((m) => m.field === 'sheet')).toHaveLength(
      SHEET_FIELDS.length * 2 - 1,
    );
    expect(result.missing).not.toContainEqual({ lang: 'fr', field: 'sheet', key: 'summary' });
  });
});

describe('the editor route', () => {
  it('round-trips, and an entry keeps its own route', () => {
    const edit = { name: 'entryEdit', slug: 'insect_mealybug' } as const;
    expect(href(edit)).toBe('#/library/insect_mealybug/edit');
    expect(parseRoute(href(edit))).toEqual(edit);
    expect(parseRoute('#/library/insect_mealybug')).toEqual({
      name: 'entry',
      slug: 'insect_mealybug',
    });
  });
});

describe('drafts of the editor on the device', () => {
  it('come back to their author only, and go once saved or dropped', async () => {
    const db = new PhytoDb(`test-${crypto.randomUUID()}`);
    try {
      const form = toForm(entry({ fr: file.fr, en: file.en }));
      form.sheet.fr.summary = 'Résumé en cours';
      await keepEntryDraft(db, {
        slug: 'apple_scab',
        userId: 'specialist-1',
        edition: 4,
        form,
        savedAt: '2026-12-06T12:00:00.000Z',
      });
      expect(await readEntryDraft(db, 'apple_scab', 'specialist-2')).toBeNull();
      const mine = await readEntryDraft(db, 'apple_scab', 'specialist-1');
      expect(mine?.form.sheet.fr.summary).toBe('Résumé en cours');
      expect(mine?.edition).toBe(4);
      await dropEntryDraft(db, 'apple_scab');
      expect(await readEntryDraft(db, 'apple_scab', 'specialist-1')).toBeNull();
    } finally {
      db.close();
      await Dexie.delete(db.name);
    }
  });

  it('the v6 schema opens over an older database and keeps its rows', async () => {
    const name = `test-${crypto.randomUUID()}`;
    const v1 = new Dexie(name);
    declareV1(v1);
    await v1.table('diagnoses').put({ id: 'd-1', createdAt: '2026-06-01T10:00:00.000Z' });
    v1.close();
    const db = new PhytoDb(name);
    try {
      expect(await db.diagnoses.count()).toBe(1);
      expect(await db.entryDrafts.count()).toBe(0);
    } finally {
      db.close();
      await Dexie.delete(name);
    }
  });
});
