import type { PublicCell, PublicDetections } from '@phytodiag/api/contract';
import { weekStartOf } from '../detections/week';
import { useOnline } from '../state/online';
import { useFetched } from '../state/use-fetched';
import { addWeeks } from './weeks';
import { fetchPublicDetections } from './surveillance-api';

/**
 * What the lab has confirmed lately in the grower's region, beside a result and on the home
 * screen: "confirmed N times near you these weeks", for the grower to weigh, the specialist one
 * tap away. The probabilities themselves are weighed only by the season's factors
 * (classifier/context-priors.ts), which compare each class with its own year.
 */

/** Weeks a result looks back over, the diagnosis's own week included. */
export const REGIONAL_WEEKS = 4;

export interface WeekRange {
  from: string;
  to: string;
}

/** The REGIONAL_WEEKS weeks ending with the diagnosis's week (local calendar, as reports are). */
export function regionalWindow(diagnosedAt: Date): WeekRange {
  const to = weekStartOf(diagnosedAt);
  return { from: addWeeks(to, -(REGIONAL_WEEKS - 1)), to };
}

/**
 * Confirmed cases per class in one region, summed over the weeks of `cells`. A class absent from
 * the map had fewer than the public minimum in every week (or none): unknown, not zero.
 */
export function confirmedInRegion(
  cells: readonly PublicCell[],
  regionCode: string,
): Map<string, number> {
  const counts = new Map<string, number>();
  for (const c of cells)
    if (c.regionCode === regionCode) counts.set(c.slug, (counts.get(c.slug) ?? 0) + c.count);
  return counts;
}

/**
 * The public view's confirmed counts for a diagnosis's region and weeks; null without a region,
 * while loading, or when neither the network nor the service worker's last copy answers (the
 * result never waits on it). Public data only: no account needed, nothing about the user sent.
 */
export function useRegionalConfirmed(
  regionCode: string | null,
  diagnosedAt: string | null,
): Map<string, number> | null {
  const online = useOnline();
  const range = regionCode && diagnosedAt ? regionalWindow(new Date(diagnosedAt)) : null;
  const { data } = useFetched<PublicDetections | null>(
    `${regionCode ?? ''}|${range?.from ?? ''}|${range?.to ?? ''}|${online}`,
    () => (range ? fetchPublicDetections(range) : Promise.resolve(null)),
  );
  // useFetched keeps the last answer while the next loads: never count another window's weeks.
  const current = data && range && data.from === range.from && data.to === range.to;
  return regionCode && current ? confirmedInRegion(data.cells, regionCode) : null;
}
