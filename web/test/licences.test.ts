import { describe, expect, it } from 'vitest';
import * as contract from '@phytodiag/api/contract';
import { LICENCES, licenceKey } from '../src/lab/licences';

describe('bank licences', () => {
  it('are the API contract’s, in its order', () => {
    expect(LICENCES.map(([id]) => id)).toEqual([...contract.BANK_LICENCES]);
  });

  it('name their words by id, and none for an id the contract does not know', () => {
    expect(licenceKey('lab-use-only')).toBe('labOnly');
    expect(licenceKey('CC BY-SA 3.0')).toBeNull();
  });
});
