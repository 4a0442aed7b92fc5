// Fits the ImageNet check (ImagenetCheck in classifier-core.ts) on the bank: which ImageNet classes
// its photos are seen as, and how little probability on them still passes. Cross-fitted like the
// other thresholds: each photo's mass is measured against the classes of the OTHER folds' photos,
// so a photo whose ImageNet reading no other photo shares counts as the outlier it would be.
import type { ImagenetCheck } from '../classifier-core';
import { imagenetMass } from '../classifier-core';
import { quantile } from './calibrate';

/**
 * Share of the bank's own photos (out of fold) the check may refuse. Measured (model/README.md):
 * at 0.5 % it refused 0–1 known test photo more than the distance test alone and 40 of 53 real
 * non-plant photos on its own, including a bird and a face the distance test let through.
 */
export const IMAGENET_REFUSAL_QUANTILE = 0.005;

function argmax(v: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < v.length; i++) if (v[i] > v[best]) best = i;
  return best;
}

export function fitImagenetCheck(
  logits: ArrayLike<number>[],
  folds: number[],
  refusalQuantile = IMAGENET_REFUSAL_QUANTILE,
): { check: ImagenetCheck; oofMass: number[] } {
  if (logits.length !== folds.length) throw new Error('one fold per photo');
  const top = logits.map(argmax);
  const classesWhere = (keep: (i: number) => boolean): number[] =>
    [...new Set(top.filter((_, i) => keep(i)))].sort((a, b) => a - b);
  const oofMass = new Array<number>(logits.length).fill(0);
  for (const fold of new Set(folds)) {
    const classes = classesWhere((i) => folds[i] !== fold);
    folds.forEach((f, i) => {
      if (f === fold) oofMass[i] = imagenetMass(logits[i], classes);
    });
  }
  const minMass = oofMass.length > 0 ? quantile(oofMass, refusalQuantile) : 0;
  return { check: { classes: classesWhere(() => true), minMass }, oofMass };
}
