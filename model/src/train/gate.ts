// Non-regression gate: a retrained model replaces the served one only if it is not worse on the
// held-out test split (fixed per image sha256, see split.ts). Pure, so it is tested on numbers;
// rescore.ts scores the served version on the candidate's very test photos to feed it.
import type { Metrics } from './metrics';

/** What the gate reads from a model's test metrics (a subset of Metrics). */
export type GateMetrics = Pick<Metrics, 'n' | 'top1' | 'ece' | 'per_class'>;

export interface GateTolerances {
  /** Floor of the allowed overall top-1 drop. */
  top1: number;
  /** Floor of the allowed overall ECE increase. */
  ece: number;
  /** Floor of the allowed per-class top-1 drop. */
  perClassTop1: number;
}

/**
 * Tolerances are max(floor, 1/n): one test photo flipping from right to wrong moves top-1 by 1/n
 * (and ECE by about as much), which is sampling noise, not a regression. On the full bank
 * (n = 392, ~13 test photos per class) that allows a 0.5-point overall drop and one photo per
 * class; on a tiny bank (2–3 photos per class) one photo per class is still tolerated but a
 * class that loses most of its photos is caught.
 */
export const DEFAULT_TOLERANCES: GateTolerances = { top1: 0.005, ece: 0.01, perClassTop1: 0.02 };

export interface GateCheck {
  metric: 'top1' | 'ece' | 'class_top1';
  /** Class slug for per-class checks. */
  slug?: string;
  baseline: number;
  candidate: number;
  /** candidate − baseline (negative = drop for top-1, positive = worse for ECE). */
  delta: number;
  tolerance: number;
  ok: boolean;
}

export interface GateReport {
  passed: boolean;
  /** Why there was nothing to compare against, when so. */
  note?: string;
  /** Test photos each side was scored on (equal when both were scored on the same photos). */
  samples?: { candidate: number; baseline: number };
  checks: GateCheck[];
  /** One human-readable line per failed check. */
  reasons: string[];
}

const r4 = (x: number): number => Math.round(x * 1e4) / 1e4;
/** Metrics are rounded to 4 decimals: a drop of exactly one photo must compare equal to 1/n. */
const EPS = 1e-4;

/**
 * Compares `candidate` with `baseline` (null = no model served yet: the first model passes).
 * Classes the baseline does not know (new classes) have no baseline and are not gated; classes
 * the candidate has no test photos for are reported as failures (the split is fixed, so they
 * can only disappear if the class lost its images).
 */
export function gateModel(
  candidate: GateMetrics,
  baseline: GateMetrics | null,
  tol: GateTolerances = DEFAULT_TOLERANCES,
): GateReport {
  if (!baseline) return { passed: true, note: 'no current model', checks: [], reasons: [] };
  const checks: GateCheck[] = [];
  const n = Math.max(1, Math.min(candidate.n, baseline.n));
  const top1Tol = Math.max(tol.top1, 1 / n);
  const eceTol = Math.max(tol.ece, 1 / n);
  const d1 = r4(candidate.top1 - baseline.top1);
  checks.push({
    metric: 'top1',
    baseline: baseline.top1,
    candidate: candidate.top1,
    delta: d1,
    tolerance: r4(top1Tol),
    ok: -d1 <= top1Tol + EPS,
  });
  const de = r4(candidate.ece - baseline.ece);
  checks.push({
    metric: 'ece',
    baseline: baseline.ece,
    candidate: candidate.ece,
    delta: de,
    tolerance: r4(eceTol),
    ok: de <= eceTol + EPS,
  });
  for (const slug of Object.keys(baseline.per_class).sort()) {
    const b = baseline.per_class[slug];
    const c = candidate.per_class[slug];
    const tolerance = r4(Math.max(tol.perClassTop1, 1 / Math.max(1, Math.min(b.n, c?.n ?? b.n))));
    const cand = c ? c.top1 : 0;
    const delta = r4(cand - b.top1);
    checks.push({
      metric: 'class_top1',
      slug,
      baseline: b.top1,
      candidate: cand,
      delta,
      tolerance,
      ok: c !== undefined && -delta <= tolerance + EPS,
    });
  }
  const reasons = checks
    .filter((c) => !c.ok)
    .map((c) => {
      const what = c.metric === 'class_top1' ? `class ${c.slug} top-1` : c.metric;
      const dir = c.metric === 'ece' ? 'rose' : 'dropped';
      return `${what} ${dir} from ${c.baseline} to ${c.candidate} (${c.delta > 0 ? '+' : ''}${c.delta}, tolerance ${c.tolerance})`;
    });
  return {
    passed: reasons.length === 0,
    samples: { candidate: candidate.n, baseline: baseline.n },
    checks,
    reasons,
  };
}
