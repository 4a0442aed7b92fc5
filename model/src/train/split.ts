// Train/validation/test assignment. Each image's split is a pure function of (seed, sha256), so
// it never changes when images are added: future retrains are scored on the same test images.
// Per-class stratification is guaranteed for small classes by moving the lowest-hash training
// images into validation/test when a class would otherwise have none there.
import { unitHash } from './random';

export type Split = 'train' | 'val' | 'test';

export const SPLIT_SEED = 'phytodiag-split-v1';
export const TEST_FRACTION = 0.2;
export const VAL_FRACTION = 0.2;

export function splitOf(sha: string): Split {
  const u = unitHash(`${SPLIT_SEED}:${sha}`);
  return u < TEST_FRACTION ? 'test' : u < TEST_FRACTION + VAL_FRACTION ? 'val' : 'train';
}

export function assignSplits<T extends { slug: string; sha: string }>(
  items: T[],
): Map<string, Split> {
  const out = new Map<string, Split>();
  for (const it of items) out.set(it.sha, splitOf(it.sha));
  const bySlug = new Map<string, T[]>();
  for (const it of items) bySlug.set(it.slug, [...(bySlug.get(it.slug) ?? []), it]);
  for (const group of bySlug.values()) {
    if (group.length < 3) continue;
    for (const needed of ['test', 'val'] as const) {
      if (group.some((g) => out.get(g.sha) === needed)) continue;
      const candidates = group
        .filter((g) => out.get(g.sha) === 'train')
        .sort((a, b) => unitHash(`${SPLIT_SEED}:${a.sha}`) - unitHash(`${SPLIT_SEED}:${b.sha}`));
      if (candidates.length > 1) out.set(candidates[0].sha, needed);
    }
  }
  return out;
}
