import { normalizeText } from '../db/search-tokens';

/** "Tache noire (pomme)" → "tache_noire_pomme": the API's class slug pattern, from a name. */
export function slugFrom(name: string): string {
  const s = normalizeText(name)
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
  const slug = /^[a-z]/.test(s) ? s : `c_${s}`;
  // The pattern needs at least 3 characters and at most 100.
  return slug.padEnd(3, '_').slice(0, 100);
}

/**
 * Comparison key of a class name: case, accents, spacing and punctuation aside. The API compares
 * proposed names the same way (api/src/lib/name-key.ts) and refuses a duplicate.
 */
export function nameKey(name: string): string {
  return normalizeText(name)
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/** The library entry a proposed class would duplicate: same slug, or same name in a language. */
export function duplicateEntry<E extends { slug: string; name: { fr: string; en: string } }>(
  entries: Iterable<E>,
  proposed: { nameFr: string; nameEn: string },
): E | null {
  const fr = nameKey(proposed.nameFr);
  const en = nameKey(proposed.nameEn);
  const slug = fr ? slugFrom(proposed.nameFr) : null;
  for (const e of entries) {
    if (e.slug === slug || (fr && nameKey(e.name.fr) === fr) || (en && nameKey(e.name.en) === en))
      return e;
  }
  return null;
}
