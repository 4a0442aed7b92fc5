import type { ContextPriors } from '@phytodiag/api/contract';
import { apiJson } from '../api/http';
import type { PhytoDb } from '../db/db';
import type { SeasonScope } from '../db/types';

/**
 * The lab's region and season factors (GET /api/public/context-priors), kept on the device so an
 * offline diagnosis weighs them too. The request says nothing about the user: the device picks
 * its region and month itself.
 */
export async function syncContextPriors(
  db: PhytoDb,
  fetchImpl: typeof fetch = fetch,
): Promise<void> {
  const priors = await apiJson<ContextPriors>('/api/public/context-priors', {}, fetchImpl);
  await db.contextPriors.put({ id: 'current', fetchedAt: new Date().toISOString(), priors });
}

export interface SeasonFactors {
  /** By slug; null when the lab has too few confirmations for this season (scope 'none'). */
  factors: Record<string, number> | null;
  scope: SeasonScope;
}

/**
 * The factors for a diagnosis in `month` (1–12): the region's season when the lab has enough
 * confirmations there, else Quebec's, else none (the answer is then the photo's). Null when the
 * device has no table yet.
 */
export function seasonFactors(
  priors: ContextPriors | null | undefined,
  regionCode: string | null,
  month: number,
): SeasonFactors | null {
  if (!priors) return null;
  const regional = regionCode ? priors.regions[regionCode]?.[month - 1] : null;
  if (regional) return { factors: regional, scope: 'region' };
  const province = priors.province[month - 1];
  return province ? { factors: province, scope: 'province' } : { factors: null, scope: 'none' };
}

/** seasonFactors() from the device's copy (none yet: null). */
export async function readSeasonFactors(
  db: PhytoDb,
  regionCode: string | null,
  month: number,
): Promise<SeasonFactors | null> {
  const row = await db.contextPriors.get('current');
  return seasonFactors(row?.priors, regionCode, month);
}
