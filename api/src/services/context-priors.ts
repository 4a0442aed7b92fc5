import { CONTEXT_FACTOR_RANGE, clampFactor } from '@phytodiag/model/classifier-core';
import type { MonthFactors } from '../contract/surveillance';
import type { MonthCell } from '../repositories/surveillance-repository';

export const CONTEXT_PRIOR_RULES = {
  /** A season (month ± 1) or a region's season with fewer confirmations gives no factor. */
  minTotal: 30,
  /** Pseudo-confirmations pulling a small sample towards the level above (region → Quebec → year). */
  strength: 20,
  range: CONTEXT_FACTOR_RANGE,
} as const;

export interface PriorTable {
  province: MonthFactors;
  regions: Record<string, MonthFactors>;
}

/**
 * Region and season factors from the lab's confirmations (`cells`, already without the cells
 * under the public minimum count). For class c in month m:
 *   year:    π(c)     = (A(c) + 1) / (A + K)                       all months and regions
 *   season:  π_m(c)   = (N_m(c) + s·π(c)) / (N_m + s)             months m−1, m, m+1
 *   region:  π_rm(c)  = (N_rm(c) + s·π_m(c)) / (N_rm + s)
 *   factor = π_m(c) / π(c) (or π_rm / π), clipped and rounded to 2 decimals.
 * Dividing by the year's share, not by the bank's, keeps only the seasonal and regional
 * variation: which classes people escalate most is a fact about escalations, not about the photo.
 * A class never confirmed has no factor; one confirmed but not this season gets the lower bound.
 */
export function contextPriorTable(cells: readonly MonthCell[]): PriorTable {
  const { minTotal, strength: s } = CONTEXT_PRIOR_RULES;
  const slugs = [...new Set(cells.map((c) => c.slug))].sort();
  const index = new Map(slugs.map((slug, i) => [slug, i]));
  const K = slugs.length;
  const zero = () => new Float64Array(K);
  // counts[region][month 0–11][class]; '' (no region) counts for Quebec only.
  const byRegion = new Map<string, Float64Array[]>();
  const province = Array.from({ length: 12 }, zero);
  const year = zero();
  for (const c of cells) {
    const k = index.get(c.slug) as number;
    const m = c.month - 1;
    province[m][k] += c.count;
    year[k] += c.count;
    if (c.regionCode === '') continue;
    let months = byRegion.get(c.regionCode);
    if (!months) byRegion.set(c.regionCode, (months = Array.from({ length: 12 }, zero)));
    months[m][k] += c.count;
  }
  const yearTotal = sum(year);
  const yearShare = Array.from(year, (a) => (a + 1) / (yearTotal + K));

  const seasonOf = (months: Float64Array[], m: number) => {
    const n = zero();
    for (const d of [-1, 0, 1]) {
      const counts = months[(m + d + 12) % 12];
      for (let k = 0; k < K; k++) n[k] += counts[k];
    }
    return n;
  };
  const smooth = (n: Float64Array, toward: ArrayLike<number>) => {
    const total = sum(n);
    return Array.from(n, (x, k) => (x + s * toward[k]) / (total + s));
  };
  const factors = (share: number[]) => {
    const out: Record<string, number> = {};
    share.forEach((p, k) => {
      const f = round2(clampFactor(p / yearShare[k]));
      if (f !== 1) out[slugs[k]] = f;
    });
    return out;
  };

  const seasonShare = province.map((_, m) => {
    const n = seasonOf(province, m);
    return sum(n) >= minTotal ? smooth(n, yearShare) : null;
  });
  const regions: Record<string, MonthFactors> = {};
  for (const [code, months] of [...byRegion].sort(([a], [b]) => a.localeCompare(b))) {
    const perMonth = months.map((_, m) => {
      const n = seasonOf(months, m);
      if (sum(n) < minTotal) return null;
      return factors(smooth(n, seasonShare[m] ?? yearShare));
    });
    if (perMonth.some((f) => f !== null)) regions[code] = perMonth;
  }
  return { province: seasonShare.map((share) => (share ? factors(share) : null)), regions };
}

function sum(a: ArrayLike<number>): number {
  let t = 0;
  for (let i = 0; i < a.length; i++) t += a[i];
  return t;
}

function round2(f: number): number {
  return Math.round(f * 100) / 100;
}
