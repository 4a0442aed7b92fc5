import { OTHER_CROP } from '@phytodiag/model/classifier-core';
import type { TFunction } from 'i18next';
import { inRegion } from '../components/region-options';
import type { Lang, SeasonScope } from '../db/types';
import { formatMonth } from '../state/format';
import type { CropChoice } from '../state/library-hooks';

/** What a diagnosis's probabilities were computed with (the device's row or a case's prediction). */
export interface WeighedContext {
  crop?: string | null;
  regionCode?: string | null;
  month?: number;
  /** The user's context switch. */
  priors?: boolean;
  season?: SeasonScope | null;
}

/**
 * The parts of the context that weighed on the probabilities, as the result and the lab's case
 * view name them: the declared crop, then the lab's season (« saison (juillet) en Montérégie,
 * selon les cas confirmés par le laboratoire »). Empty when nothing weighed.
 */
export function contextWeighed(
  context: WeighedContext,
  t: TFunction,
  lang: Lang,
  crops: readonly CropChoice[],
): string[] {
  if (!context.priors) return [];
  const month = formatMonth(context.month ?? 1, lang);
  const { crop } = context;
  const parts = !crop
    ? []
    : [
        crop === OTHER_CROP
          ? t('result.otherCrop')
          : (crops.find((c) => c.id === crop)?.name ?? crop),
      ];
  if (context.season === 'region' && context.regionCode)
    parts.push(t('result.seasonRegion', { month, inRegion: inRegion(context.regionCode, lang) }));
  else if (context.season === 'province') parts.push(t('result.seasonProvince', { month }));
  return parts;
}
