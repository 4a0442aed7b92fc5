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
