import { OTHER_CROP } from '@phytodiag/model/classifier-core';
import type { DetectionReport } from '@phytodiag/api/contract';
import type { DiagnosisRow } from '../db/types';
import type { Place } from '../geo/region-of';
import { weekStartOf } from './week';

/**
 * What one on-device diagnosis reports: the class, its confidence, the crop, region/MRC codes, the
 * week and the model version. Built from explicit fields only, so nothing else (coordinates,
 * photos, date and time) can slip in by a spread.
 */
export function buildReport(
  d: DiagnosisRow,
  place: Place,
  clientId: string = crypto.randomUUID(),
): DetectionReport {
  const top = d.result.ranked[0];
  const confidence = Math.min(1, Math.max(0, top?.probability ?? 0));
  return {
    clientId,
    slug: top?.slug ?? null,
    confidence,
    abstained: d.result.abstained,
    // "Another crop" says which crop it is not, not which it is.
    crop: d.context.crop === OTHER_CROP ? null : d.context.crop,
    regionCode: place.regionCode,
    mrcCode: place.mrcCode,
    week: weekStartOf(new Date(d.createdAt)),
    modelVersion: d.result.modelVersion,
  };
}
