import type { LibrarySyncEntry } from '@phytodiag/api/contract';

/** A library entry as the sync sends it, with `photos` reference photos (thumbnails in .webp). */
export function syncEntry(
  slug: string,
  photos: number,
  factSheet: LibrarySyncEntry['factSheet'] = null,
): LibrarySyncEntry {
  return {
    slug,
    kind: 'disease',
    crop: { fr: 'Maïs', en: 'Corn' },
    name: { fr: slug, en: slug },
    scientificName: 'X y',
    lookAlikes: [],
    factSheet,
    images: Array.from({ length: photos }, (_, i) => ({
      url: `/images/${slug}/${i}.jpg`,
      thumbUrl: `/images/${slug}/${i}.webp`,
      width: 320,
      height: 240,
      credit: 'c',
      licence: 'CC-BY',
    })),
    revision: 1,
    updatedAt: '2024-01-01T00:00:00.000Z',
  };
}
