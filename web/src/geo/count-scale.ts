/**
 * Sequential colour scale for counts on a choropleth: a few "nice" classes (1–5, 6–10, …) rather
 * than a continuous ramp, so a legend can list them and a reader can match a shade to a range.
 * Light yellow to dark brown: ordered by lightness (readable in greyscale and by most colour-blind
 * readers) and dark enough at the top end to stand out in sunlight.
 */
export const SEQUENTIAL = ['#fff3b0', '#fdb94d', '#e8730c', '#a63c06', '#4d1a02'] as const;

/** Fill of a shape with no detection. */
export const ZERO_FILL = '#ffffff';

export interface CountBin {
  min: number;
  max: number;
  color: string;
}

/** Smallest of 1, 2, 5, 10, 20, 50, … that is ≥ x. */
export function niceStep(x: number): number {
  if (x <= 1) return 1;
  const p = 10 ** Math.floor(Math.log10(x));
  for (const m of [1, 2, 5, 10]) if (m * p >= x) return m * p;
  return 10 * p;
}

/**
 * Classes covering 1..max with at most `colors.length` classes of equal nice width. Fewer classes
 * than colours take colours spread over the whole ramp, so the largest count is always the darkest.
 */
export function countBins(max: number, colors: readonly string[] = SEQUENTIAL): CountBin[] {
  if (!(max >= 1)) return [];
  const step = niceStep(max / colors.length);
  const n = Math.ceil(max / step);
  return Array.from({ length: n }, (_, i) => ({
    min: i * step + 1,
    max: (i + 1) * step,
    color: colors[n === 1 ? colors.length - 1 : Math.round((i * (colors.length - 1)) / (n - 1))],
  }));
}

/** The class of a count; undefined for 0 (or a count the bins do not cover). */
export function binOf(bins: readonly CountBin[], count: number): CountBin | undefined {
  if (count <= 0) return undefined;
  return bins.find((b) => count >= b.min && count <= b.max);
}

export function fillFor(bins: readonly CountBin[], count: number): string {
  return binOf(bins, count)?.color ?? ZERO_FILL;
}

/** "3" or "6–10" (en dash, as French and English typography both want for ranges). */
export function binLabel(b: CountBin): string {
  return b.min === b.max ? String(b.min) : `${b.min}–${b.max}`;
}
