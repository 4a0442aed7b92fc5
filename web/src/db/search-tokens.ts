import { cropKey } from '@phytodiag/model/classifier-core';
import type { LibraryEntryRow } from './types';

/** Lower-case, strip accents, so "mildiou" finds "Mildiou" and "bruler" finds "brûlure". */
export function normalizeText(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase();
}

export function wordsOf(text: string): string[] {
  return normalizeText(text)
    .split(/[^a-z0-9]+/)
    .filter((w) => w.length >= 2);
}

type Indexable = Pick<
  LibraryEntryRow,
  'slug' | 'kind' | 'crop' | 'scientificName' | 'name' | 'factSheet'
>;

/** Names (FR/EN/scientific), crop, kind and symptom words from both languages. */
export function searchTokensOf(entry: Indexable): string[] {
  const parts = [
    entry.slug.replace(/_/g, ' '),
    entry.kind,
    entry.crop.fr,
    entry.crop.en,
    entry.scientificName ?? '',
    entry.name.fr,
    entry.name.en,
    entry.factSheet?.fr.symptoms ?? '',
    entry.factSheet?.en.symptoms ?? '',
  ];
  return [...new Set(parts.flatMap(wordsOf))];
}

/** The crop's id, as the classifier's context priors key it (cropKey). */
export function cropSlugOf(crop: { en: string }): string {
  return cropKey(crop.en);
}
