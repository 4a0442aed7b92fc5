import { describe, expect, it } from 'vitest';
import * as contract from '@phytodiag/api/contract';
import { PRODUCER_CONSENT_LICENCE, photoCredits } from '../src/library/photo-credits';

const pv = { credit: 'github:Krish190904/tomato-leaf-disease', licence: 'CC BY-SA 3.0' };
const flowers = { credit: 'github:Oldpel/flower_photos', licence: 'CC BY 2.0' };
const producer = { credit: 'Producteur·rice Phytodiag', licence: PRODUCER_CONSENT_LICENCE };

describe('reference photo credits', () => {
  it('names each source once, in the photos’ order, with its number of photos', () => {
    expect(photoCredits([pv, flowers, pv, pv])).toEqual([
      { ...pv, photos: 3 },
      { ...flowers, photos: 1 },
    ]);
  });

  it('keeps one credit under two licences apart', () => {
    const other = { ...pv, licence: 'CC BY 4.0' };
    expect(photoCredits([pv, other]).map((c) => c.licence)).toEqual(['CC BY-SA 3.0', 'CC BY 4.0']);
  });

  it('says producers’ photos are theirs without showing the internal licence code', () => {
    expect(photoCredits([producer, producer])).toEqual([
      { credit: producer.credit, licence: null, photos: 2 },
    ]);
  });

  it('has nothing to credit without photos', () => {
    expect(photoCredits([])).toEqual([]);
  });

  it('uses the licence code of the API contract', () => {
    expect(PRODUCER_CONSENT_LICENCE).toBe(contract.PRODUCER_CONSENT_LICENCE);
  });
});
