import { cropIdOf } from '@phytodiag/model/classifier-core';
import type { LibraryEntryRow } from '../db/types';
import type { CropChoice } from '../state/library-hooks';

/**
 * The crop the person declared, when the answer is a disease (or healthy leaf) of another crop:
 * the crop prior lowers such answers but does not forbid them, so a clear photo of a tomato leaf
 * still comes out as a tomato disease with « Maïs » declared. Worth saying: the declared crop may
 * be a leftover from the last diagnosis, or the photo not the plant meant. Null otherwise
 * (nothing declared, « other crop », an insect or a weed, which have no single crop).
 */
export function otherCropDeclared(
  declared: string | null | undefined,
  answer: Pick<LibraryEntryRow, 'slug' | 'kind' | 'crop'> | undefined,
  crops: readonly CropChoice[],
): CropChoice | null {
  if (!declared || !answer) return null;
  const answerCrop = cropIdOf(answer);
  if (answerCrop === null || answerCrop === declared) return null;
  return crops.find((c) => c.id === declared) ?? null;
}
