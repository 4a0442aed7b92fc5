/**
 * Headline numbers of a model version. The API types `metrics` as unknown: it is metrics.json's
 * `test` split for retrained versions and the manifest summary for CLI exports, and may be null.
 * Both carry `top1` and `ece` as fractions; anything else reads as absent rather than as 0.
 */
export interface HeadlineMetrics {
  top1: number | null;
  ece: number | null;
}

function fraction(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

export function headlineMetrics(metrics: unknown): HeadlineMetrics {
  if (typeof metrics !== 'object' || metrics === null) return { top1: null, ece: null };
  const m = metrics as Record<string, unknown>;
  return { top1: fraction(m.top1), ece: fraction(m.ece) };
}

/** Share of agreeing cases, or null when there were none to compare (no "0 %" out of nothing). */
export function agreementRate(agree: number, n: number): number | null {
  return n > 0 ? agree / n : null;
}
