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

/** Service indicators for the lab's administration (GET /api/indicators, admin only). */
/** How far ahead the indicators list the lab's closed weekdays. */
const UPCOMING_CLOSURE_DAYS = 60;

export function createIndicatorsService(deps: {
  repos: Repositories;
  commitment: Commitment;
  workflow: EscalationWorkflowService;
}) {
  const { repos, commitment, workflow } = deps;
  return {
    async get(q: IndicatorsQuery, now = new Date()): Promise<ServiceIndicators> {
      const { from, to } = indicatorPeriod(q, commitment.calendar.timeZone, now);
      const range = { from, to, timeZone: commitment.calendar.timeZone };
      const ind = repos.indicators;
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
      // Business days depend on the zone's weekends and the holidays: computed here, not in SQL.
      const deadline = (createdAt: Date) =>
        commitment.calendar.addBusinessDays(createdAt, commitment.businessDays).getTime();
      const within = responses.filter((r) => r.firstAt.getTime() <= deadline(r.createdAt)).length;
      // A case left unanswered past its deadline (still waiting, or closed without an answer)
      // missed the commitment too: counting only the answered ones would reward letting cases
      // rot. One not yet due cannot be judged and is left out.
      const missedUnanswered = unanswered.filter((c) => deadline(c.createdAt) < now.getTime());
      const judged = responses.length + missedUnanswered.length;
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
