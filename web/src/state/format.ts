import type { Lang } from '../db/types';

/** Date and time as a Quebec reader expects them, in the UI language. */
export function formatDateTime(iso: string, lang: Lang): string {
  return new Date(iso).toLocaleString(lang === 'fr' ? 'fr-CA' : 'en-CA');
}
