import type { TFunction } from 'i18next';
import { ApiError, isNetworkError } from './http';

/**
 * What to show for a failed API call: the server's localised message, or "no network" (under
 * `networkKey`, since sign-in words it differently).
 */
export function errorText(err: unknown, t: TFunction, networkKey = 'errors.network'): string {
  if (isNetworkError(err)) return t(networkKey);
  return err instanceof ApiError ? err.message : String(err);
}
