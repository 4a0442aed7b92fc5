import type { TFunction } from 'i18next';
import type { Lang } from '../db/types';
import { formatDeadline } from '../state/format';

/** « Réponse due le 2 déc. 2026, 14 h 30 », or « … d'ici la fin du 1 déc. 2026 » at midnight. */
export function dueText(t: TFunction, dueAt: string, lang: Lang): string {
  const { endOfDay, text } = formatDeadline(dueAt, lang);
  return t(endOfDay ? 'lab.dueEndOfDay' : 'lab.due', { date: text });
}
