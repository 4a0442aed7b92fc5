import { describe, expect, it } from 'vitest';
import { otherCropDeclared } from '../src/result/other-crop';

const crops = [
  { id: 'corn', name: 'Maïs' },
  { id: 'tomato', name: 'Tomate' },
];
const tomatoDisease = {
  slug: 'tomato_early_blight',
  kind: 'disease' as const,
  crop: { fr: 'Tomate', en: 'Tomato' },
};
const insect = {
  slug: 'armyworm',
  kind: 'insect' as const,
  crop: { fr: 'Plusieurs cultures', en: 'Several crops' },
};

describe('a declared crop the answer does not match', () => {
  it('is named when a disease of another crop comes out', () => {
    expect(otherCropDeclared('corn', tomatoDisease, crops)).toEqual({ id: 'corn', name: 'Maïs' });
  });
  it('is not when the crops agree, nothing was declared, or the answer has no single crop', () => {
    expect(otherCropDeclared('tomato', tomatoDisease, crops)).toBeNull();
    expect(otherCropDeclared(null, tomatoDisease, crops)).toBeNull();
    expect(otherCropDeclared('corn', insect, crops)).toBeNull();
    expect(otherCropDeclared('corn', undefined, crops)).toBeNull();
    // « Autre culture », or a crop the library no longer has: nothing to name.
    expect(otherCropDeclared('other', tomatoDisease, crops)).toBeNull();
  });
});
