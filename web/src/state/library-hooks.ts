import { useLiveQuery } from 'dexie-react-hooks';
import { useTranslation } from 'react-i18next';
import { db } from '../db/db';
import type { Lang, LibraryEntryRow } from '../db/types';

export function useEntryMap(): Map<string, LibraryEntryRow> {
  const rows = useLiveQuery(() => db.libraryEntries.toArray(), []);
  return new Map((rows ?? []).map((r) => [r.slug, r]));
}

export function useLang(): Lang {
  const { i18n } = useTranslation();
  return i18n.language === 'en' ? 'en' : 'fr';
}

/** Display name in the UI language; falls back to a readable slug if the library is not synced. */
export function displayName(
  slug: string,
  entries: Map<string, LibraryEntryRow>,
  lang: Lang,
): string {
  return entries.get(slug)?.name[lang] ?? slug.replace(/_/g, ' ');
}
