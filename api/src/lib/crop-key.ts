/**
 * Devices send the classifier's crop id ("corn"), cases carry what the person typed ("Maïs",
 * "MAIS ") and the library names crops in French and English. One comparison key lets the
 * surveillance store one name per crop, so its crop filter sees one vocabulary.
 */
export function cropKey(crop: string): string {
  return crop
    .normalize('NFD')
    .replace(/\p{Diacritic}/gu, '')
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim();
}

/** The library's French name for a crop known under any of its names; else the text as typed. */
export function canonicalCrop(
  crop: string | null | undefined,
  libraryCrops: ReadonlyMap<string, string>,
): string | null {
  const typed = crop?.replace(/\s+/g, ' ').trim();
  if (!typed) return null;
  return libraryCrops.get(cropKey(typed)) ?? typed;
}
