import { AppError } from '../errors';
import type { Repositories } from '../repositories';
import type { RollupFilter } from '../repositories/surveillance-repository';
import {
  PUBLIC_MIN_CELL_COUNT,
  SURVEILLANCE_LIMITS,
  type ContextPriors,
  type PublicDetections,
  type PublicQuery,
  type SurveillanceMap,
  type SurveillanceQuery,
  type SurveillanceSeries,
  type SurveillanceTable,
} from '../contract/surveillance';
import { canonicalCrop } from '../lib/crop-key';
import { CONTEXT_PRIOR_RULES, contextPriorTable } from './context-priors';
import { addWeeks, isValidDate, mondayOnOrBefore, weekOf, weeksBetween } from '../lib/iso-week';

/** Three years of confirmations behind the context priors. */
export const CONTEXT_PRIOR_WEEKS = 156;

/** Weeks shown when the query gives no period. */
export const DEFAULT_WEEKS = 12;

/**
 * Dashboard and public reads. The staff views come from the weekly rollup (small, always fresh:
 * it is updated in the same transaction as each detection); the public view and the priors count
 * distinct farms, which a rollup cannot add up, so they read the confirmed rows through their
 * partial index. No answer carries a location finer than an MRC (the public one: a region).
 */
export function createSurveillanceService(deps: {
  repos: Repositories;
  timeZone: string;
  now?: () => Date;
}) {
  const { repos, timeZone } = deps;
  const now = deps.now ?? (() => new Date());

  /** Inclusive [from, to] as Mondays: any date is taken as its week; default the last 12 weeks. */
  function period(q: { from?: string; to?: string }): { from: string; to: string } {
    for (const day of [q.from, q.to]) {
      if (day !== undefined && !isValidDate(day)) {
        throw new AppError('INVALID_PERIOD', undefined, { maxWeeks: SURVEILLANCE_LIMITS.maxWeeks });
      }
    }
    const to = q.to === undefined ? weekOf(now(), timeZone) : mondayOnOrBefore(q.to);
    const from =
      q.from === undefined ? addWeeks(to, -(DEFAULT_WEEKS - 1)) : mondayOnOrBefore(q.from);
    const span = weeksBetween(from, to);
    if (span < 0 || span >= SURVEILLANCE_LIMITS.maxWeeks) {
      throw new AppError('INVALID_PERIOD', undefined, { maxWeeks: SURVEILLANCE_LIMITS.maxWeeks });
    }
    return { from, to };
  }

  async function filter(q: SurveillanceQuery): Promise<RollupFilter> {
    const range = period(q);
    // The rollup stores a library crop under its French name: "Apple", "pommier" and "POMMIER"
    // all find "Pommier" (an English dashboard filters in English). Other crops as typed.
    const crop =
      q.crop === undefined
        ? undefined
        : (canonicalCrop(q.crop, await repos.detections.libraryCrops()) ?? q.crop);
    return {
      ...range,
      slug: q.slug,
      kind: q.kind,
      crop,
      regionCode: q.regionCode,
      source: q.source,
    };
  }

  return {
    period,

    async map(q: SurveillanceQuery): Promise<SurveillanceMap> {
      const f = await filter(q);
      const level = q.level ?? 'region';
      return { level, from: f.from, to: f.to, cells: await repos.surveillance.map(f, level) };
    },

    async series(q: SurveillanceQuery): Promise<SurveillanceSeries> {
      const f = await filter(q);
      return { from: f.from, to: f.to, points: await repos.surveillance.series(f) };
    },

    async table(q: SurveillanceQuery): Promise<SurveillanceTable> {
      const f = await filter(q);
      const { rows, truncated } = await repos.surveillance.table(f, SURVEILLANCE_LIMITS.maxRows);
      return { from: f.from, to: f.to, rows, truncated };
    },

    async publicDetections(q: PublicQuery): Promise<PublicDetections> {
      const p = period(q);
      const cells = await repos.surveillance.publicCells(
        { ...p, slug: q.slug },
        PUBLIC_MIN_CELL_COUNT,
      );
      return { ...p, minCount: PUBLIC_MIN_CELL_COUNT, cells };
    },

    /** Region and season factors for the device's classifier, from the last three years. */
    async contextPriors(): Promise<ContextPriors> {
      const to = weekOf(now(), timeZone);
      const from = addWeeks(to, -(CONTEXT_PRIOR_WEEKS - 1));
      const cells = await repos.surveillance.confirmedByMonth({ from, to }, PUBLIC_MIN_CELL_COUNT);
      const { range } = CONTEXT_PRIOR_RULES;
      return {
        from,
        to,
        minCount: PUBLIC_MIN_CELL_COUNT,
        range: { ...range },
        ...contextPriorTable(cells),
      };
    },
  };
}
export type SurveillanceService = ReturnType<typeof createSurveillanceService>;
