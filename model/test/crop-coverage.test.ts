// "Another crop" in the diagnosis context: no crop-specific answer, insects and weeds still named.
import { describe, expect, it } from 'vitest';
import { OTHER_CROP, checkCropCoverage, cropIdOf, cropKey } from '../src/classifier-core';
import type { ClassifierResult } from '../src/classifier-core';

const calibration = {
  labels: ['tomato_late_blight', 'insect_thrips', 'weed_dandelion'],
  priors: { classCrop: ['tomato', null, null], otherCropFactor: 0.1, source: 'test' },
};

function result(top: string, reason: ClassifierResult['reason'] = null): ClassifierResult {
  const others = calibration.labels.filter((l) => l !== top);
  return {
    ranked: [
      { slug: top, p: 0.8 },
      { slug: others[0], p: 0.15 },
      { slug: others[1], p: 0.05 },
    ],
    abstained: reason !== null,
    reason,
    modelVersion: 'test',
    oodScore: 0.5,
    priorsApplied: true,
  };
}

describe('checkCropCoverage', () => {
  it('withholds a crop-specific answer for another crop, probabilities unchanged', () => {
    const r = result('tomato_late_blight');
    const out = checkCropCoverage(r, calibration, { crop: OTHER_CROP });
    expect(out).toEqual({ ...r, abstained: true, reason: 'crop_not_covered' });
  });

  it('still names an insect or a weed, which are not crop-specific', () => {
    for (const top of ['insect_thrips', 'weed_dandelion']) {
      const r = result(top);
      expect(checkCropCoverage(r, calibration, { crop: OTHER_CROP })).toBe(r);
    }
  });

  it('changes nothing for a bank crop, no crop, or a photo already out of distribution', () => {
    const r = result('tomato_late_blight');
    expect(checkCropCoverage(r, calibration, { crop: 'tomato' })).toBe(r);
    expect(checkCropCoverage(r, calibration, {})).toBe(r);
    expect(checkCropCoverage(r, calibration, null)).toBe(r);
    const ood = result('tomato_late_blight', 'out_of_distribution');
    expect(checkCropCoverage(ood, calibration, { crop: OTHER_CROP })).toBe(ood);
  });
});

describe('crop ids', () => {
  it('are one key for every way of writing a crop', () => {
    expect(cropKey(' Maïs ')).toBe('mais');
    expect(cropKey('Sweet   Corn')).toBe('sweet corn');
    const crop = { en: 'Sweet corn', fr: 'Maïs sucré' };
    expect(cropIdOf({ slug: 'sweet_corn_smut', kind: 'disease', crop })).toBe('sweet corn');
    expect(cropIdOf({ slug: 'insect_thrips', kind: 'insect', crop })).toBeNull();
  });
});
