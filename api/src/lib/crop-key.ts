import { cropKey } from '@phytodiag/model/classifier-core';

/**
 * Devices send the classifier's crop id ("corn"), cases carry what the person typed ("Maïs",
 * "MAIS ") and the library names crops in French and English. One comparison key (cropKey, the
 * one the classifier makes its crop ids with) lets the surveillance store one name per crop, so
 * its crop filter sees one vocabulary.
 */
export { cropKey };

/** The library's French name for a crop known under any of its names; else the text as typed. */
export function canonicalCrop(
  crop: string | null | undefined,
  libraryCrops: ReadonlyMap<string, string>,
): string | null {
  const typed = crop?.replace(/\s+/g, ' ').trim();
  if (!typed) return null;
  return libraryCrops.get(cropKey(typed)) ?? typed;
}
