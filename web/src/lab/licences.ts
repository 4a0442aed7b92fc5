import { BANK_LICENCES, type BankLicence } from '@phytodiag/api/contract';

type LicenceKey = 'ccBy' | 'ccBySa' | 'cc0' | 'labOnly';

/** Each licence's i18n key under `bank.licences` (a key cannot contain dots, i18next's separator). */
const KEYS: Record<BankLicence, LicenceKey> = {
  'CC-BY-4.0': 'ccBy',
  'CC-BY-SA-4.0': 'ccBySa',
  'CC0-1.0': 'cc0',
  'lab-use-only': 'labOnly',
};

/** The licences a bank photo may carry (the API's list), in the upload form's order. */
export const LICENCES: readonly (readonly [id: BankLicence, key: LicenceKey])[] = BANK_LICENCES.map(
  (id) => [id, KEYS[id]] as const,
);

/** The i18n key of a licence id, or null for one this version does not know. */
export function licenceKey(id: string): LicenceKey | null {
  return LICENCES.find(([known]) => known === id)?.[1] ?? null;
}
