import type { TFunction } from 'i18next';
import { ApiError, isNetworkError } from '../api/http';

/** What to show for a failed lab call: the server's localised message, or "no network". */
export function errorText(err: unknown, t: TFunction): string {
  if (isNetworkError(err)) return t('errors.network');
  return err instanceof ApiError ? err.message : String(err);
}
