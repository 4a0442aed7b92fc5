import type { BankLicence } from '@phytodiag/api/contract';

type LicenceKey = 'ccBy' | 'ccBySa' | 'cc0' | 'labOnly';

/**
 * The licences a bank photo may carry, in the upload form's order, each with its i18n key under
 * `bank.licences` (a key cannot contain dots, i18next's separator). A mirror of the API's
 * BANK_LICENCES: the web imports the contract as types only (no TypeBox in the bundle), the
 * `Record` below fails to compile when the API adds one, and web/test/licences.test.ts checks
 * the order.
 */
const KEYS: Record<BankLicence, LicenceKey> = {
  'CC-BY-4.0': 'ccBy',
  'CC-BY-SA-4.0': 'ccBySa',
  'CC0-1.0': 'cc0',
  'lab-use-only': 'labOnly',
};

export const LICENCES = Object.entries(KEYS) as [BankLicence, LicenceKey][];

/** The i18n key of a licence id, or null for one this version does not know. */
export function licenceKey(id: string): LicenceKey | null {
  return LICENCES.find(([known]) => known === id)?.[1] ?? null;
}
