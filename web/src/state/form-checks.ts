import type { TFunction } from 'i18next';
import type { Lang } from '../db/types';
import { formatList } from './format';

/**
 * The sign-in and password forms check what is missing themselves (noValidate): the browser's
 * own bubbles speak the phone's language, not the app's, and vanish before a gloved finger can
 * read them. The server's refusals (a short or common password, a wrong one) follow, localised.
 * One sentence, « Il manque : le courriel et le mot de passe. », or null when nothing is missing.
 */
export function missingText(
  t: TFunction,
  lang: Lang,
  fields: readonly { label: string; empty: boolean }[],
): string | null {
  const missing = fields.filter((f) => f.empty).map((f) => f.label);
  return missing.length === 0 ? null : t('auth.missing', { fields: formatList(missing, lang) });
}
