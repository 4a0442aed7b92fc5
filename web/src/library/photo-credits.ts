import type { LibraryImage } from '@phytodiag/api/contract';

// Mirror of api/src/contract/library.ts's constant: the web imports the contract as types only
// (no TypeBox in the bundle); web/test/photo-credits.test.ts checks that the two agree.
export const PRODUCER_CONSENT_LICENCE = 'phytodiag-producer-consent';

export interface PhotoCredit {
  credit: string;
  /** null: a producer's photo shared with their consent (no public licence to name). */
  licence: string | null;
  photos: number;
}

/**
 * Who took the photos shown and under which licence, once per source, in the order the photos
 * come, with how many each gave. Most bank photos are under CC BY(-SA), which asks that they be
 * credited wherever they are shown.
 */
export function photoCredits(
  images: readonly Pick<LibraryImage, 'credit' | 'licence'>[],
): PhotoCredit[] {
  const bySource = new Map<string, PhotoCredit>();
  for (const { credit, licence } of images) {
    const key = `${credit}\u0000${licence}`;
    const known = bySource.get(key);
    if (known) known.photos += 1;
    else
      bySource.set(key, {
        credit,
        licence: licence === PRODUCER_CONSENT_LICENCE ? null : licence,
        photos: 1,
      });
  }
  return [...bySource.values()];
}
