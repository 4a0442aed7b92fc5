import { AppError } from '../errors';
import type { Repositories } from '../repositories';
import {
  SURVEILLANCE_LIMITS,
  type IndicatorsQuery,
  type ServiceIndicators,
} from '../contract/surveillance';
import { addWeeks, isMonday, weekOf, weeksBetween } from '../lib/iso-week';
import { dueAt, type Commitment } from './service-commitment';
import type { EscalationWorkflowService } from './escalation-workflow-service';

export const DEFAULT_INDICATOR_WEEKS = 12;

/** Validates the optional Mondays; defaults to the last 12 weeks (the current one included). */
export function indicatorPeriod(
  q: IndicatorsQuery,
  timeZone: string,
  now = new Date(),
): { from: string; to: string } {
  for (const week of [q.from, q.to]) {
    if (week !== undefined && !isMonday(week)) {
      throw new AppError('INVALID_WEEK', undefined, {
        week,
        maxWeeks: SURVEILLANCE_LIMITS.maxWeeks,
      });
    }
  }
  const to = q.to ?? weekOf(now, timeZone);
  const from = q.from ?? addWeeks(to, -(DEFAULT_INDICATOR_WEEKS - 1));
  const span = weeksBetween(from, to);
  if (span < 0 || span >= SURVEILLANCE_LIMITS.maxWeeks) {
    throw new AppError('INVALID_PERIOD', undefined, { maxWeeks: SURVEILLANCE_LIMITS.maxWeeks });
  }
  return { from, to };
}

/** How far ahead the indicators list the lab's closed weekdays. */
const UPCOMING_CLOSURE_DAYS = 60;

/**
 * One week of the period, for the export: cases by the week they were received (their first
 * response and the commitment's verdict included, whenever those came), ratings by the week they
 * were given. The weeks add up to the period's figures.
 */
export interface IndicatorWeek {
  week: string;
  received: number;
  onDeviceReports: number;
  firstResponses: number;
  medianFirstResponseHours: number | null;
  judged: number;
  withinCommitment: number;
  /** Counts of scores 1..5 (index 0 = score 1). */
  ratings: number[];
}

/** The continuous median, as PostgreSQL's percentile_cont(0.5). */
function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = (sorted.length - 1) / 2;
  return (sorted[Math.floor(mid)]! + sorted[Math.ceil(mid)]!) / 2;
}

const HOUR_MS = 3600 * 1000;

/** Service indicators for the lab's administration (GET /api/indicators, admin only). */
export function createIndicatorsService(deps: {
  repos: Repositories;
  commitment: Commitment;
  workflow: EscalationWorkflowService;
}) {
  const { repos, commitment, workflow } = deps;
  const { timeZone } = commitment.calendar;
  const ind = repos.indicators;
  // Business days depend on the zone's weekends and the holidays: computed here, not in SQL.
  const deadline = (createdAt: Date) =>
    commitment.calendar.addBusinessDays(createdAt, commitment.businessDays).getTime();
  const metCommitment = (r: { createdAt: Date; firstAt: Date }) =>
    r.firstAt.getTime() <= deadline(r.createdAt);
  // A case left unanswered past its deadline (still waiting, or closed without an answer)
  // missed the commitment too: counting only the answered ones would reward letting cases
  // rot. One not yet due cannot be judged and is left out.
  const missed = (unanswered: { createdAt: Date }[], now: Date) =>
    unanswered.filter((c) => deadline(c.createdAt) < now.getTime());

  return {
    /** The period's figures, week by week (GET /api/indicators/weeks.csv). */
    async weeks(
      q: IndicatorsQuery,
      now = new Date(),
    ): Promise<{ from: string; to: string; weeks: IndicatorWeek[] }> {
      const { from, to } = indicatorPeriod(q, timeZone, now);
      const range = { from, to, timeZone };
      const [channels, responses, unanswered, ratings] = await Promise.all([
        ind.weekly(range),
        ind.firstResponses(range),
        ind.unanswered(range),
        ind.weeklyRatings(range),
      ]);
      // Each case's week once (a time zone conversion each), then each week takes its own.
      const byWeek = <T extends { createdAt: Date }>(cases: T[]) => {
        const map = new Map<string, T[]>();
        for (const c of cases) {
          const week = weekOf(c.createdAt, timeZone);
          const list = map.get(week);
          if (list) list.push(c);
          else map.set(week, [c]);
        }
        return map;
      };
      const answeredIn = byWeek(responses);
      const lateIn = byWeek(missed(unanswered, now));
      const weeks = channels.map(({ week, onDevice, escalated }): IndicatorWeek => {
        const answered = answeredIn.get(week) ?? [];
        const late = lateIn.get(week) ?? [];
        const scores = [0, 0, 0, 0, 0];
        for (const r of ratings) if (r.week === week) scores[r.score - 1] = r.n;
        return {
          week,
          received: escalated,
          onDeviceReports: onDevice,
          firstResponses: answered.length,
          medianFirstResponseHours: median(
            answered.map((r) => (r.firstAt.getTime() - r.createdAt.getTime()) / HOUR_MS),
          ),
          judged: answered.length + late.length,
          withinCommitment: answered.filter(metCommitment).length,
          ratings: scores,
        };
      });
      return { from, to, weeks };
    },

    async get(q: IndicatorsQuery, now = new Date()): Promise<ServiceIndicators> {
      const { from, to } = indicatorPeriod(q, timeZone, now);
      const range = { from, to, timeZone };
      const [weeks, responses, unanswered, pct, open, distribution, samples, agreement] =
        await Promise.all([
          ind.weekly(range),
          ind.firstResponses(range),
          ind.unanswered(range),
          ind.firstResponsePercentiles(range),
          ind.openCases(),
          ind.ratings(range),
          ind.samples(range),
          workflow.agreementStats(range),
        ]);
      const within = responses.filter(metCommitment).length;
      const judged = responses.length + missed(unanswered, now).length;
      const overdue = open.filter((c) => {
        const due = dueAt(c, commitment);
        return due !== null && due.getTime() < now.getTime();
      }).length;
      const n = distribution.reduce((s, x) => s + x, 0);
      const total = distribution.reduce((s, x, i) => s + x * (i + 1), 0);
      return {
        from,
        to,
        commitmentBusinessDays: commitment.businessDays,
        upcomingClosures: commitment.calendar.closedWeekdays(now, UPCOMING_CLOSURE_DAYS),
        weeks,
        firstAnswer: {
          answered: pct.n,
          medianHours: pct.median,
          p90Hours: pct.p90,
          judged,
          withinCommitment: judged > 0 ? within / judged : null,
        },
        backlog: { open: open.length, overdue },
        satisfaction: { n, mean: n > 0 ? total / n : null, distribution },
        agreement,
        samples,
      };
    },
  };
}
export type IndicatorsService = ReturnType<typeof createIndicatorsService>;
