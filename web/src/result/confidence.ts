import type { DiagnosisResult, RankedClass } from '../db/types';

/**
 * Confidence in words for the field. The model already abstains below its calibrated threshold;
 * above it, "probable" needs a clear majority of the (calibrated) probability mass.
 */
export const PROBABLE_AT = 0.7;

export function confidenceOf(
  abstained: boolean,
  topProbability: number,
): 'probable' | 'possible' | 'unsure' {
  if (abstained) return 'unsure';
  return topProbability >= PROBABLE_AT ? 'probable' : 'possible';
}

/**
 * Below "probable", the runner-up the grower should rule out before acting, when the calibrated
 * model gives it a real share of the probability: a "possible" answer shown alone reads as surer
 * than it is. (The advisor's view lists the whole top 5 instead.)
 */
export const RUNNER_UP_AT = 0.15;

export function runnerUpOf(
  result: Pick<DiagnosisResult, 'ranked' | 'confidence'>,
): RankedClass | null {
  if (result.confidence !== 'possible') return null;
  const second = result.ranked[1];
  return second && second.probability >= RUNNER_UP_AT ? second : null;
}
