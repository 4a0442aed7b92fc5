import type { TFunction } from 'i18next';
import type { BankSubmission } from '@phytodiag/api/contract';
import type { Lang, LibraryEntryRow } from '../db/types';
import { displayName } from '../state/library-hooks';

/**
 * What a bank submission shows (sent, or still queued on the device): its library class, or the
 * proposed class's name, marked so.
 */
export function submissionLabel(
  s: {
    classSlug?: BankSubmission['classSlug'] | undefined;
    proposedClass?: BankSubmission['proposedClass'] | undefined;
  },
  t: TFunction,
  lang: Lang,
  entries: Map<string, LibraryEntryRow>,
): string {
  if (s.classSlug) return displayName(s.classSlug, entries, lang);
  if (!s.proposedClass) return '—';
  const p = s.proposedClass;
  return `${lang === 'fr' ? p.nameFr : p.nameEn} (${t('bank.proposed')})`;
}
