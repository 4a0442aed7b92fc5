/**
 * The licences a bank photo may carry: SPDX ids where they exist, each with its i18n key under
 * `bank.licences` (a key cannot contain dots, i18next's key separator).
 */
export const LICENCES: readonly (readonly [
  id: string,
  key: 'ccBy' | 'ccBySa' | 'cc0' | 'labOnly',
])[] = [
  ['CC-BY-4.0', 'ccBy'],
  ['CC-BY-SA-4.0', 'ccBySa'],
  ['CC0-1.0', 'cc0'],
  ['lab-use-only', 'labOnly'],
];

/** The i18n key of a licence id, or null for one this version does not know. */
export function licenceKey(id: string): (typeof LICENCES)[number][1] | null {
  return LICENCES.find(([known]) => known === id)?.[1] ?? null;
}
