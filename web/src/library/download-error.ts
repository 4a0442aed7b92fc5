import type { TFunction } from 'i18next';
import { QuotaError } from './library-sync';

/** The message shown when the offline download stops; a full device gets its own clear advice. */
export function downloadErrorText(err: unknown, t: TFunction): string {
  if (err instanceof QuotaError) return t('offline.quota');
  return t('offline.error', { message: err instanceof Error ? err.message : String(err) });
}
