import { describe, expect, it } from 'vitest';
import type { CannedAnswer, EscalationAnswer } from '@phytodiag/api/contract';
import type { LibraryEntryRow } from '../src/db/types';
import { cannedGroups } from '../src/lab/canned-groups';
import { cannedFromAnswer } from '../src/lab/canned-prefill';

const row = (slug: string, crop: { fr: string; en: string }): LibraryEntryRow => ({
  slug,
  kind: 'disease',
  crop,
  name: { fr: slug, en: slug },
  scientificName: null,
  lookAlikes: [],
  factSheet: null,
  images: [],
  revision: 1,
  updatedAt: '2026-01-01T00:00:00.000Z',
  cropSlug: crop.en.toLowerCase(),
  searchTokens: [],
});
const entries = new Map(
  [
    row('apple_scab', { fr: 'Pommier', en: 'Apple' }),
    row('grape_esca', { fr: 'Vigne', en: 'Grape' }),
    row('potato_late_blight', { fr: 'Pomme de terre', en: 'Potato' }),
    row('potato_early_blight', { fr: 'Pomme de terre', en: 'Potato' }),
  ].map((e) => [e.slug, e]),
);
const canned = (id: string, slug: string, title: string): CannedAnswer => ({
  id,
  slug,
  fr: { title, message: 'm', recommendations: 'r' },
  en: { title: `${title} (en)`, message: 'm', recommendations: 'r' },
  lastEdit: null,
});
const all = [
  canned('1', 'potato_late_blight', 'Mildiou'),
  canned('2', 'apple_scab', 'Tavelure'),
  canned('3', 'potato_early_blight', 'Alternariose'),
  canned('4', 'grape_esca', 'Esca'),
  canned('5', 'unknown_class', 'Ancienne'),
];

describe('the answer form’s canned answers', () => {
  it('come by crop, the case’s first (under either name), titles in order', () => {
    const groups = cannedGroups(all, entries, 'fr', ' vigne');
    expect(groups.map((g) => [g.crop, g.items.map((c) => c.id)])).toEqual([
      ['Vigne', ['4']],
      ['Pomme de terre', ['3', '1']],
      ['Pommier', ['2']],
      ['unknown class', ['5']],
    ]);
    expect(cannedGroups(all, entries, 'en', 'Potato')[0]).toEqual({
      crop: 'Potato',
      items: [all[2], all[0]],
    });
  });

  it('a crop the library does not know changes nothing but the order of crops', () => {
    const groups = cannedGroups(all, entries, 'fr', 'Bleuet');
    expect(groups.map((g) => g.crop)).toEqual([
      'Pomme de terre',
      'Pommier',
      'unknown class',
      'Vigne',
    ]);
  });
});

describe('keeping a case’s answer as a canned answer', () => {
  const answer: EscalationAnswer = {
    diagnosisSlug: 'grape_esca',
    diagnosisText: null,
    message: 'Yellow stripes between the veins point to esca.',
    recommendations: null,
    cannedAnswerId: null,
    specialistName: null,
    at: '2026-12-06T12:00:00.000Z',
  };

  it('fills the requester’s language, titled with the diagnosis, and leaves the other to write', () => {
    expect(cannedFromAnswer(answer, 'en', entries)).toEqual({
      slug: 'grape_esca',
      fr: { title: '', message: '', recommendations: '' },
      en: { title: 'grape_esca', message: answer.message, recommendations: '' },
    });
    const fr = cannedFromAnswer(
      { ...answer, recommendations: 'Tailler par temps sec.' },
      'fr',
      entries,
    );
    expect(fr.fr).toEqual({
      title: 'grape_esca',
      message: answer.message,
      recommendations: 'Tailler par temps sec.',
    });
    expect(fr.en.message).toBe('');
  });
});
