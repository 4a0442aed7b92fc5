/** "Tache noire (pomme)" → "tache_noire_pomme": the API's class slug pattern, from a name. */
export function slugFrom(name: string): string {
  const s = name
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
  const slug = /^[a-z]/.test(s) ? s : `c_${s}`;
  // The pattern needs at least 3 characters and at most 100.
  return slug.padEnd(3, '_').slice(0, 100);
}
