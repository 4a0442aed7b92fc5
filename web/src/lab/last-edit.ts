import type { TFunction } from 'i18next';
import type { LibraryEntryEdit } from '@phytodiag/api/contract';
import type { Lang } from '../db/types';
import { formatDateTime } from '../state/format';

/**
 * « Modifiée le … par … » under what the lab writes in the app (a fact sheet, a canned answer);
 * an author who deleted their account since is not named.
 */
export function lastEditText(e: LibraryEntryEdit, t: TFunction, lang: Lang): string {
  const at = formatDateTime(e.at, lang);
  return e.by ? t('libraryEdit.editBy', { at, by: e.by }) : t('libraryEdit.editByDeleted', { at });
}
