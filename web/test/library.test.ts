import Dexie from 'dexie';
import { afterEach, describe, expect, it } from 'vitest';
import type { LibrarySyncEntry } from '@phytodiag/api/contract';
import { PhytoDb } from '../src/db/db';
import { readSettings } from '../src/db/settings';
import { syncLibraryText } from '../src/library/library-sync';
import { searchLibrary } from '../src/library/search';
import { cropName, cropsOf } from '../src/state/library-hooks';

let db: PhytoDb;
afterEach(async () => {
  db.close();
  await Dexie.delete(db.name);
});

function sheet(symptoms: string) {
  const s = {
    summary: 's',
    symptoms,
    lookAlikes: 'l',
    biology: 'b',
    scouting: 'sc',
    management: ['m'],
    callLab: 'c',
    producer: { actNow: ['a'] },
    gardener: { plain: 'p', homeGarden: ['h'] },
  };
  return s;
}

function entry(
  slug: string,
  revision: number,
  over: Partial<LibrarySyncEntry> = {},
): LibrarySyncEntry {
  return {
    slug,
    kind: 'disease',
    crop: { fr: 'Pomme de terre', en: 'Potato' },
    name: { fr: 'Mildiou de la pomme de terre', en: 'Potato late blight' },
    scientificName: 'Phytophthora infestans',
    lookAlikes: [],
    factSheet: {
      fr: sheet('Taches huileuses et duvet blanc'),
      en: sheet('Oily lesions with white mould'),
    },
    images: [],
    revision,
    updatedAt: '2024-01-01T00:00:00.000Z',
    ...over,
  };
}

describe('library offline sync and search', () => {
  it('applies deltas by revision and searches FR/EN/scientific/symptom words without accents', async () => {
    db = new PhytoDb(`lib-${crypto.randomUUID()}`);
    const asked: string[] = [];
    const server =
      (items: LibrarySyncEntry[], revision: number): typeof fetch =>
      async (input) => {
        asked.push(String(input));
        return new Response(JSON.stringify({ revision, items }), { status: 200 });
      };
    await syncLibraryText(db, server([entry('potato_late_blight', 1)], 1));
    await syncLibraryText(
      db,
      server(
        [
          entry('apple_scab', 2, {
            crop: { fr: 'Pommier', en: 'Apple' },
            name: { fr: 'Tavelure du pommier', en: 'Apple scab' },
            scientificName: 'Venturia inaequalis',
            factSheet: {
              fr: sheet('Taches olivâtres veloutées'),
              en: sheet('Olive velvety spots'),
            },
          }),
        ],
        2,
      ),
    );
    expect(asked).toEqual(['/api/library/sync?since=0', '/api/library/sync?since=1']);
    expect((await readSettings(db)).libraryRevision).toBe(2);
    const slugs = async (query: string, kind = '', crop = '') =>
      (await searchLibrary(db, { query, kind, crop })).map((r) => r.slug).sort();
    expect(await slugs('')).toEqual(['apple_scab', 'potato_late_blight']);
    expect(await slugs('mildiou')).toEqual(['potato_late_blight']);
    expect(await slugs('late blight')).toEqual(['potato_late_blight']);
    expect(await slugs('venturia')).toEqual(['apple_scab']);
    expect(await slugs('olivatres')).toEqual(['apple_scab']);
    expect(await slugs('pommier')).toEqual(['apple_scab']);
    expect(await slugs('', '', 'apple')).toEqual(['apple_scab']);
    expect(await slugs('', 'insect')).toEqual([]);
    expect(await slugs('tavelure mildiou')).toEqual([]);
  });
});

describe('cropName', () => {
  it('names a surveillance crop (the library French name) in the UI language; other text as typed', async () => {
    db = new PhytoDb(`lib-${crypto.randomUUID()}`);
    const apple = { crop: { fr: 'Pommier', en: 'Apple' } };
    await syncLibraryText(db, async () =>
      Response.json({
        revision: 1,
        items: [entry('potato_late_blight', 1), entry('apple_scab', 1, apple)],
      }),
    );
    const entries = new Map((await db.libraryEntries.toArray()).map((e) => [e.slug, e]));
    expect(cropName('Pommier', entries, 'en')).toBe('Apple');
    expect(cropName('Pomme de terre', entries, 'en')).toBe('Potato');
    expect(cropName('Pommier', entries, 'fr')).toBe('Pommier');
    expect(cropName('Bleuet nain', entries, 'en')).toBe('Bleuet nain');
    // What a person typed on a case, in either language and however written.
    expect(cropName('apple ', entries, 'fr')).toBe('Pommier');
    expect(cropName('POMMIER', entries, 'en')).toBe('Apple');
    expect(cropName('pomme de terre', entries, 'fr')).toBe('Pomme de terre');
  });
});

describe('cropsOf', () => {
  it('lists the crops of the synced library (a new crop in the bank included), not its insects', async () => {
    db = new PhytoDb(`lib-${crypto.randomUUID()}`);
    const insectCrops = { fr: 'Grandes cultures et légumes', en: 'Field crops and vegetables' };
    await syncLibraryText(db, async () =>
      Response.json({
        revision: 1,
        items: [
          entry('potato_late_blight', 1),
          entry('potato_healthy', 1, { kind: 'healthy' }),
          entry('apple_scab', 1, { crop: { fr: 'Pommier', en: 'Apple' } }),
          // A class the bank gained after the app was written: its crop is offered at once.
          entry('sweet_corn_smut', 1, { crop: { fr: 'Maïs sucré', en: 'Sweet corn' } }),
          entry('insect_thrips', 1, { kind: 'insect', crop: insectCrops }),
        ],
      }),
    );
    const rows = await db.libraryEntries.toArray();
    expect(cropsOf(rows, 'fr')).toEqual([
      { id: 'sweet corn', name: 'Maïs sucré' },
      { id: 'potato', name: 'Pomme de terre' },
      { id: 'apple', name: 'Pommier' },
    ]);
    expect(cropsOf(rows, 'en').map((c) => c.name)).toEqual(['Apple', 'Potato', 'Sweet corn']);
    // The library's crop filter and the classifier's priors use the same id.
    const sweetCorn = rows.find((r) => r.slug === 'sweet_corn_smut');
    expect(sweetCorn?.cropSlug).toBe('sweet corn');
    const found = await searchLibrary(db, { query: '', kind: '', crop: 'sweet corn' });
    expect(found.map((r) => r.slug)).toEqual(['sweet_corn_smut']);
  });
});
