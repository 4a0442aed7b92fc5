// Pure post-processing shared by the Node evaluator and the browser worker (no platform imports):
// temperature-scaled softmax, optional context priors, abstention, and combining several photos.
//
// Pipeline per photo:  logits --(÷T(x), softmax)--> calibrated p --(context priors)--> posterior
//   T(x) grows with the photo's distance to the bank (oodScore), so a photo unlike the bank's
//     gets flatter probabilities: the confidence shown stays honest under a change of domain
//   abstain 'out_of_distribution' if the embedding is outside every class's radius, or if the
//     backbone's own ImageNet classifier sees something the bank never shows (ImagenetCheck)
//   abstain 'low_confidence'      if max posterior < minConfidence

export type ClassKind = 'disease' | 'healthy' | 'insect' | 'weed';

export interface ClassInfo {
  slug: string;
  kind: ClassKind;
  crop: { en: string; fr: string };
}

/** Contents of calibration.json (written by training, read by Node and the browser). */
export interface Calibration {
  schema: 1;
  modelVersion: string;
  labels: string[];
  /**
   * Softmax temperature of a photo at the centre of its class (oodScore 0). Fitted with
   * `temperatureSlope` on out-of-fold predictions (minimum NLL).
   */
  temperature: number;
  /**
   * Distance-aware temperature: T(x) = temperature · exp(temperatureSlope · oodScore(x)).
   * Absent (versions before it) = one temperature for every photo.
   */
  temperatureSlope?: number;
  abstention: {
    /** Abstain when the top calibrated probability is below this. */
    minConfidence: number;
    /** Cosine distance of the L2-normalised embedding to each class centroid. */
    distanceMetric: 'cosine-to-centroid';
    /** Per-label radius (same order as labels): a photo farther than every radius is unknown. */
    maxDistance: number[];
    /** Present when the version ships imagenet/ (see ImagenetCheck). */
    imagenet?: ImagenetCheck;
    /** Second look at a photo refused or far from the bank (absent in older versions = none). */
    closeUp?: CloseUp;
  };
  /**
   * Per-label centroid of L2-normalised training embeddings (renormalised), labels order. A
   * centroid shorter than the embedding applies to its leading features only (the distance test
   * may use a subset of the feature blocks the head uses).
   */
  centroids: number[][];
  priors: PriorRules;
}

/** Outputs of the ImageNet check's model: the ImageNet-1k classes, in their standard order. */
export const IMAGENET_CLASSES = 1000;

/**
 * The ImageNet check: imagenet/ maps the embedding to the backbone's own 1000 ImageNet logits (its
 * original classifier, `conv_preds`, low-rank). Bank photos put their ImageNet probability on a
 * few hundred classes (leaf-, insect- and flower-like ones); a dog, a car or a face puts it
 * elsewhere. `classes` = every ImageNet class that is the top-1 of some fitted bank photo, so it
 * follows the bank as it grows; below `minMass` of probability on them, the photo is unknown.
 */
export interface ImagenetCheck {
  /** ImageNet class indices (0–999) the bank's photos are seen as. */
  classes: number[];
  /** Out-of-fold quantile of the bank photos' mass on `classes` (refuses ~0.5 % of them). */
  minMass: number;
}

/**
 * The second look. Bank photos fill the frame; a grower's photo often shows the leaf smaller, on
 * soil or among other leaves: the whole photo is then refused (outside every class's radius), or
 * accepted but far from the bank, where the model is often wrong. Such a photo is read again on
 * centred squares (`shares` of its centred square's side) and the view nearest the bank is kept.
 * A close-up must pass every test within a stricter radius, `maxOodScore`: each extra look is one
 * more chance for an unrelated photo to land inside a class's radius. The numbers are in
 * model/README.md ("Photos taken in the field").
 */
export interface CloseUp {
  /** Side of each close-up as a share of the photo's centred square (each in (0, 1)). */
  shares: number[];
  /**
   * The bank's own 95 % out-of-fold quantile of oodScore: a whole photo nearer than this is read
   * as it is; a close-up must be at least this near to be kept.
   */
  maxOodScore: number;
}

/**
 * Context priors fixed at training: the user's declared crop. The bank carries no regional or
 * seasonal frequency data; those come from the lab's confirmations, at inference
 * (Context.factors), so no region/month factor is ever invented.
 */
export interface PriorRules {
  /** Crop id (lower-case English crop name) of each label, or null when crop-agnostic. */
  classCrop: (string | null)[];
  /** Multiplier for crop-specific classes of another crop than the declared one. */
  otherCropFactor: number;
  source: string;
}

/**
 * Context crop of a plant that is none of the bank's crops (a cucumber, a lettuce): the model
 * knows no disease of it, so it never names a crop-specific class for it (checkCropCoverage).
 */
export const OTHER_CROP = 'other';

export interface Context {
  /** Crop id as in cropIdOf(): 'potato', 'apple', ..., or OTHER_CROP. Unknown ids are ignored. */
  crop?: string | null;
  /** Informative: the region and the month weigh through `factors`, which are computed for them. */
  region?: string | null;
  month?: number | null;
  /**
   * Region and season: how much more (> 1) or less (< 1) often the lab confirmed each class in
   * this region and month than over the whole year and province (the API's context priors,
   * clipped there to a mild range). A class absent from the map keeps factor 1.
   */
  factors?: Readonly<Record<string, number>> | null;
}

/** Bounds applied again on the device: a factor can never outweigh the photo's evidence. */
export const CONTEXT_FACTOR_RANGE = { min: 0.5, max: 2 } as const;

export type AbstainReason = 'low_confidence' | 'out_of_distribution' | 'crop_not_covered' | null;

export interface Ranked {
  slug: string;
  p: number;
}

export interface ClassifierResult {
  /** Every label, most probable first (after priors when a context was given). */
  ranked: Ranked[];
  abstained: boolean;
  reason: AbstainReason;
  modelVersion: string;
  /** Smallest distance/radius ratio over classes (> 1 means outside every class). */
  oodScore: number;
  /** ImageNet probability on the check's classes (absent when the model has no ImageNet check). */
  imagenetMass?: number;
  priorsApplied: boolean;
  /** Set when a centred close-up (this share of the photo) was read instead of the whole photo. */
  closeUpShare?: number;
}

export interface PostprocessOptions {
  /** Apply context priors (default true when a context is given). */
  usePriors?: boolean;
  /** Override the calibrated confidence threshold (e.g. for evaluation sweeps). */
  minConfidence?: number;
}

/**
 * Comparison key of a crop name: no accents, lower case, single spaces ("Maïs " → "mais",
 * "Sweet corn" → "sweet corn"). Of the English name, it is the crop's id in the context priors;
 * the web keys its library entries by it and the API matches typed crops with it.
 */
export function cropKey(crop: string): string {
  return crop
    .normalize('NFD')
    .replace(/\p{Diacritic}/gu, '')
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim();
}

/** Crop id used by context priors, for crop-specific kinds (an insect or a weed has none). */
export function cropIdOf(info: ClassInfo): string | null {
  return info.kind === 'disease' || info.kind === 'healthy' ? cropKey(info.crop.en) : null;
}

export function softmax(logits: ArrayLike<number>, temperature = 1): Float64Array {
  const n = logits.length;
  const out = new Float64Array(n);
  let max = -Infinity;
  for (let i = 0; i < n; i++) max = Math.max(max, logits[i] / temperature);
  let sum = 0;
  for (let i = 0; i < n; i++) {
    out[i] = Math.exp(logits[i] / temperature - max);
    sum += out[i];
  }
  for (let i = 0; i < n; i++) out[i] /= sum;
  return out;
}

/**
 * Multiplies by the prior factors (declared crop, then region and season) and renormalises;
 * never zeroes a class. `labels` name the entries of `p` (the region/season factors are keyed by
 * slug, so a table computed for another model version still applies class by class).
 */
export function applyPriors(
  p: ArrayLike<number>,
  rules: PriorRules,
  context: Context,
  labels: readonly string[],
): Float64Array {
  const out = Float64Array.from(p as ArrayLike<number>);
  const crop = context.crop?.trim().toLowerCase();
  const byCrop = Boolean(crop) && rules.classCrop.includes(crop as string);
  const factors = context.factors ?? null;
  if (!byCrop && !factors) return out;
  let sum = 0;
  for (let i = 0; i < out.length; i++) {
    const c = rules.classCrop[i];
    if (byCrop && c !== null && c !== crop) out[i] *= rules.otherCropFactor;
    const f = factors?.[labels[i]];
    if (f !== undefined && Number.isFinite(f)) out[i] *= clampFactor(f);
    sum += out[i];
  }
  for (let i = 0; i < out.length; i++) out[i] /= sum;
  return out;
}

/** A context factor within CONTEXT_FACTOR_RANGE (the API clips with it too). */
export function clampFactor(f: number): number {
  return Math.min(CONTEXT_FACTOR_RANGE.max, Math.max(CONTEXT_FACTOR_RANGE.min, f));
}

/** The softmax temperature of a photo whose oodScore is `score` (see Calibration.temperatureSlope). */
export function temperatureAt(calibration: Calibration, score: number): number {
  return calibration.temperature * Math.exp((calibration.temperatureSlope ?? 0) * score);
}

/** Smallest (cosine distance to centroid ÷ that class's radius) over all classes. */
export function oodScore(embedding: ArrayLike<number>, calibration: Calibration): number {
  // Centroids may cover only a leading block of the embedding (see Calibration.centroids).
  const dims = calibration.centroids[0]?.length ?? embedding.length;
  let norm = 0;
  for (let j = 0; j < dims; j++) norm += embedding[j] * embedding[j];
  norm = Math.sqrt(norm) || 1;
  let best = Infinity;
  calibration.centroids.forEach((c, i) => {
    let dot = 0;
    for (let j = 0; j < c.length; j++) dot += c[j] * embedding[j];
    const distance = 1 - dot / norm;
    best = Math.min(best, distance / calibration.abstention.maxDistance[i]);
  });
  return best;
}

/** Softmax probability mass of `classes` among 1000 ImageNet logits. */
export function imagenetMass(logits: ArrayLike<number>, classes: readonly number[]): number {
  const p = softmax(logits);
  let mass = 0;
  for (const k of classes) mass += p[k] ?? 0;
  return mass;
}

function rank(p: ArrayLike<number>, labels: string[]): Ranked[] {
  return labels.map((slug, i) => ({ slug, p: p[i] })).sort((a, b) => b.p - a.p);
}

export function postprocess(
  logits: ArrayLike<number>,
  embedding: ArrayLike<number>,
  calibration: Calibration,
  context?: Context | null,
  options: PostprocessOptions = {},
  /** Output of the version's imagenet/ model: required when the calibration has that check. */
  imagenetLogits?: ArrayLike<number> | null,
): ClassifierResult {
  const { labels } = calibration;
  const check = calibration.abstention.imagenet;
  if (check && !imagenetLogits) throw new Error('this model checks ImageNet logits: none given');
  if (logits.length !== labels.length) {
    throw new Error(`model outputs ${logits.length} scores but labels.json has ${labels.length}`);
  }
  if (embedding.length < (calibration.centroids[0]?.length ?? Infinity)) {
    throw new Error(`embedding size ${embedding.length} is smaller than the calibration centroids`);
  }
  const score = oodScore(embedding, calibration);
  let p = softmax(logits, temperatureAt(calibration, score));
  const priorsApplied = Boolean(context) && options.usePriors !== false;
  if (priorsApplied && context) p = applyPriors(p, calibration.priors, context, labels);
  const ranked = rank(p, labels);
  const mass = check && imagenetLogits ? imagenetMass(imagenetLogits, check.classes) : undefined;
  const minConfidence = options.minConfidence ?? calibration.abstention.minConfidence;
  const unknown = score > 1 || (check !== undefined && mass !== undefined && mass < check.minMass);
  const reason: AbstainReason = unknown
    ? 'out_of_distribution'
    : ranked[0].p < minConfidence
      ? 'low_confidence'
      : null;
  return {
    ranked,
    abstained: reason !== null,
    reason,
    modelVersion: calibration.modelVersion,
    oodScore: score,
    ...(mass === undefined ? {} : { imagenetMass: mass }),
    priorsApplied,
  };
}

/**
 * A plant declared as none of the bank's crops (OTHER_CROP): a crop-specific answer (a potato
 * disease named on a cucumber leaf) is withheld, as the model cannot know that crop's diseases;
 * insects and weeds, which are not crop-specific, are still named. Applied to the final result
 * (after combining photos), and only when the context is used. Probabilities are left as they
 * are: the advisor's differential still shows the nearest classes of the bank.
 */
export function checkCropCoverage<R extends ClassifierResult>(
  result: R,
  calibration: Pick<Calibration, 'labels' | 'priors'>,
  context: Context | null | undefined,
): R {
  if (context?.crop?.trim().toLowerCase() !== OTHER_CROP) return result;
  if (result.reason === 'out_of_distribution' || result.ranked.length === 0) return result;
  const top = calibration.labels.indexOf(result.ranked[0].slug);
  if ((calibration.priors.classCrop[top] ?? null) === null) return result;
  return { ...result, abstained: true, reason: 'crop_not_covered' };
}

/** Whether a photo's whole view calls for the second look (then read its close-ups). */
export function needsCloseUps(whole: ClassifierResult, closeUp: CloseUp | undefined): boolean {
  return closeUp !== undefined && (whole.abstained || whole.oodScore > closeUp.maxOodScore);
}

/**
 * The result of one photo given its close-ups' results (closeUpRegions() of `closeUp.shares`). The
 * whole photo's, unless needsCloseUps(): then the nearest to the bank (smallest oodScore) of the
 * whole photo, if it is not refused, and of the close-ups that pass every test and lie within
 * `maxOodScore`. A close-up result says so (`closeUpShare`).
 */
export function pickView<R extends ClassifierResult>(
  whole: R,
  closeUps: readonly { share: number; result: R }[],
  closeUp: CloseUp | undefined,
): R {
  if (!closeUp || !needsCloseUps(whole, closeUp)) return whole;
  let best: { result: R; share?: number } | null = whole.abstained ? null : { result: whole };
  for (const { share, result } of closeUps) {
    if (result.abstained || result.oodScore > closeUp.maxOodScore) continue;
    if (!best || result.oodScore < best.result.oodScore) best = { result, share };
  }
  if (!best || best.share === undefined) return whole;
  return { ...best.result, closeUpShare: best.share };
}

/**
 * Several photos of one case. Photos judged out-of-distribution are set aside (a blurry or
 * off-target shot should not drag down good ones); the rest are pooled by the normalised
 * geometric mean of their probabilities, which rewards agreement without the overconfidence of a
 * plain product (photos of one plant are not independent evidence).
 */
export function combine(results: ClassifierResult[], minConfidence: number): ClassifierResult {
  if (results.length === 0) throw new Error('combine: no results');
  const usable = results.filter((r) => r.reason !== 'out_of_distribution');
  const modelVersion = results[0].modelVersion;
  const bestOod = Math.min(...results.map((r) => r.oodScore));
  if (usable.length === 0) {
    return { ...results[0], abstained: true, reason: 'out_of_distribution', oodScore: bestOod };
  }
  const labels = usable[0].ranked.map((r) => r.slug);
  const logSum = new Map<string, number>(labels.map((s) => [s, 0]));
  for (const r of usable) {
    for (const { slug, p } of r.ranked)
      logSum.set(slug, (logSum.get(slug) ?? 0) + Math.log(Math.max(p, 1e-12)));
  }
  const raw = labels.map((slug) => Math.exp((logSum.get(slug) ?? 0) / usable.length));
  const total = raw.reduce((a, b) => a + b, 0);
  const ranked = labels.map((slug, i) => ({ slug, p: raw[i] / total })).sort((a, b) => b.p - a.p);
  const reason: AbstainReason = ranked[0].p < minConfidence ? 'low_confidence' : null;
  return {
    ranked,
    abstained: reason !== null,
    reason,
    modelVersion,
    oodScore: bestOod,
    priorsApplied: usable.some((r) => r.priorsApplied),
  };
}
