import { describe, expect, it } from 'vitest';
import * as contract from '@phytodiag/api/contract';
import { ACCOUNT_HEADER, forAccount } from '../src/api/http';

describe('the header naming a queued row’s author', () => {
  it('is the API contract’s', () => {
    expect(ACCOUNT_HEADER).toBe(contract.ACCOUNT_HEADER);
  });

  it('is sent for a row with an author, not for one written signed out', () => {
    expect(forAccount('u-1')).toEqual({ 'x-phytodiag-account': 'u-1' });
    expect(forAccount('')).toEqual({});
    expect(forAccount(null)).toEqual({});
  });
});
