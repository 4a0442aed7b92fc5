import type { LibraryKind } from '../contract/library';
import type { NewDetection } from '../repositories/detection-repository';
import { addWeeks } from '../lib/iso-week';
import { mulberry32 } from '@phytodiag/model/random';

/**
 * Realistic synthetic detections for demos, tests and benchmarks (pure: same options, same
 * rows). Seasonal curves per class (late blight peaks in July–August, apple scab in June,
 * dandelion in May…), more reports in the agricultural regions (Montérégie, Centre-du-Québec,
 * Chaudière-Appalaches, Estrie…), crops matching the class, ~7 % abstentions (half of them
 * without a class), a share confirmed by the lab, some reports without MRC or without region.
 */
export interface GeneratorClass {
  slug: string;
  kind: LibraryKind;
  crop: string;
}

export interface GeneratorOptions {
  seed: number;
  count: number;
  classes: readonly GeneratorClass[];
  /** MRC codes with their region (GEO_DIR/quebec-mrc.geojson). */
  mrcs: readonly { code: string; regionCode: string }[];
  /** Last week generated (a Monday) and how many weeks back from it. */
  lastWeek: string;
  weeks: number;
  /** Share of lab-confirmed detections (default 0.08). */
  confirmedShare?: number;
  /** Share of abstentions among device reports (default 0.07). */
  abstentionShare?: number;
}

/** Relative number of reports per region: agricultural regions first. */
export const REGION_WEIGHTS: Readonly<Record<string, number>> = {
  '16': 6, // Montérégie
  '17': 3.5, // Centre-du-Québec
  '12': 3.5, // Chaudière-Appalaches
  '05': 2.5, // Estrie
  '14': 2.2, // Lanaudière
  '03': 2, // Capitale-Nationale
  '07': 1.6, // Outaouais
  '04': 1.5, // Mauricie
  '15': 1.5, // Laurentides
  '02': 1.3, // Saguenay–Lac-Saint-Jean
  '01': 1.2, // Bas-Saint-Laurent
  '08': 0.6, // Abitibi-Témiscamingue
  '11': 0.3, // Gaspésie–Îles-de-la-Madeleine
  '13': 0.3, // Laval
  '06': 0.25, // Montréal
  '09': 0.15, // Côte-Nord
  '10': 0.05, // Nord-du-Québec
};

/** Week-of-year of the peak and spread (weeks); greenhouse pests barely follow the season. */
interface Season {
  peak: number;
  spread: number;
  /** Off-season floor relative to the peak. */
  floor: number;
  /** Relative frequency of the class. */
  weight: number;
}

const SEASONS: [RegExp, Season][] = [
  [/late_blight/, { peak: 32, spread: 3, floor: 0.01, weight: 3 }],
  [/early_blight/, { peak: 30, spread: 4, floor: 0.01, weight: 2 }],
  [/apple_scab/, { peak: 23, spread: 4, floor: 0.01, weight: 2 }],
  [/cedar_apple_rust/, { peak: 24, spread: 3, floor: 0.01, weight: 1 }],
  [/powdery_mildew/, { peak: 29, spread: 4, floor: 0.01, weight: 1 }],
  [/^grape_/, { peak: 30, spread: 4, floor: 0.01, weight: 1 }],
  [/^corn_/, { peak: 33, spread: 3, floor: 0.01, weight: 1.5 }],
  [/^strawberry_/, { peak: 27, spread: 4, floor: 0.01, weight: 1 }],
  [/septoria|leaf_mold|leaf_curl/, { peak: 31, spread: 4, floor: 0.02, weight: 1 }],
  [/grasshopper/, { peak: 32, spread: 4, floor: 0.01, weight: 1 }],
  [/armyworm/, { peak: 28, spread: 3, floor: 0.01, weight: 1.5 }],
  [/thrips/, { peak: 28, spread: 8, floor: 0.15, weight: 1 }],
  [/mealybug/, { peak: 10, spread: 20, floor: 0.5, weight: 0.5 }],
  [/dandelion/, { peak: 21, spread: 3, floor: 0.02, weight: 1.5 }],
  [/healthy/, { peak: 28, spread: 8, floor: 0.02, weight: 1 }],
];
const DEFAULT_SEASON: Season = { peak: 28, spread: 5, floor: 0.02, weight: 1 };

export function seasonOf(slug: string): Season {
  return SEASONS.find(([re]) => re.test(slug))?.[1] ?? DEFAULT_SEASON;
}

/** ISO week number (1–53) of a Monday "YYYY-MM-DD". */
export function isoWeekNumber(monday: string): number {
  const d = new Date(`${monday}T00:00:00Z`);
  const thursday = new Date(d.getTime() + 3 * 86_400_000);
  const jan1 = Date.UTC(thursday.getUTCFullYear(), 0, 1);
  return Math.floor((thursday.getTime() - jan1) / (7 * 86_400_000)) + 1;
}

/** The model package's seeded generator (mulberry32): same seed, same synthetic data. */
export const prng = mulberry32;

/** Index drawn from cumulative weights (binary search). */
function drawFrom(cumulative: readonly number[], random: () => number): number {
  const total = cumulative[cumulative.length - 1] ?? 0;
  const x = random() * total;
  let lo = 0;
  let hi = cumulative.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((cumulative[mid] ?? 0) > x) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

function cumulate(weights: readonly number[]): number[] {
  let sum = 0;
  return weights.map((w) => (sum += w));
}

function uuidFrom(random: () => number): string {
  const hex = Array.from({ length: 32 }, () => Math.floor(random() * 16).toString(16));
  hex[12] = '4';
  hex[16] = '89ab'[Math.floor(random() * 4)] ?? '8';
  const h = hex.join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/**
 * Yields the detections in batches of `batchSize` (a million rows never sit in memory at once).
 * User ids are null: synthetic reports belong to nobody.
 */
export function* generateDetections(
  options: GeneratorOptions,
  batchSize = 5000,
): Generator<NewDetection[]> {
  const random = prng(options.seed);
  const confirmedShare = options.confirmedShare ?? 0.08;
  const abstentionShare = options.abstentionShare ?? 0.07;
  if (options.classes.length === 0) throw new Error('no library class to generate detections for');
  const weeks = Array.from({ length: options.weeks }, (_, i) =>
    addWeeks(options.lastWeek, i - options.weeks + 1),
  );
  const classCumulative = cumulate(options.classes.map((c) => seasonOf(c.slug).weight));
  // Per class: cumulative weights over the weeks (a Gaussian bump around the peak, on a floor).
  const weekCumulative = options.classes.map((c) => {
    const s = seasonOf(c.slug);
    return cumulate(
      weeks.map((w) => {
        const d = isoWeekNumber(w) - s.peak;
        return s.floor + Math.exp(-(d * d) / (2 * s.spread * s.spread));
      }),
    );
  });
  const regions = Object.keys(REGION_WEIGHTS).sort();
  const regionCumulative = cumulate(regions.map((r) => REGION_WEIGHTS[r] ?? 0));
  const mrcsOf = new Map<string, string[]>();
  for (const m of options.mrcs)
    mrcsOf.set(m.regionCode, [...(mrcsOf.get(m.regionCode) ?? []), m.code]);

  let batch: NewDetection[] = [];
  for (let i = 0; i < options.count; i += 1) {
    const ci = drawFrom(classCumulative, random);
    const cls = options.classes[ci] as GeneratorClass;
    const week = weeks[drawFrom(weekCumulative[ci] as number[], random)] as string;
    const placed = random();
    const region = placed < 0.02 ? null : (regions[drawFrom(regionCumulative, random)] as string);
    const mrcs = region === null ? [] : (mrcsOf.get(region) ?? []);
    const mrc =
      mrcs.length === 0 || random() < 0.1
        ? null
        : (mrcs[Math.floor(random() * mrcs.length)] as string);
    const confirmed = random() < confirmedShare;
    const abstained = !confirmed && random() < abstentionShare;
    const withoutClass = abstained && random() < 0.5;
    batch.push({
      clientId: confirmed ? null : uuidFrom(random),
      userId: null,
      source: confirmed ? 'confirmed' : 'device',
      escalationId: null,
      slug: withoutClass ? null : cls.slug,
      kind: withoutClass ? null : cls.kind,
      crop: cls.crop,
      regionCode: region,
      mrcCode: mrc,
      week,
      confidence: confirmed
        ? null
        : Math.round((abstained ? 0.2 + random() * 0.35 : 0.55 + random() * 0.45) * 1000) / 1000,
      abstained,
      modelVersion: confirmed ? null : 'synthetic',
    });
    if (batch.length === batchSize) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length > 0) yield batch;
}
