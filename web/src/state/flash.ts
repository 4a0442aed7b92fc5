/**
 * A one-time message carried from one screen to the next (« Demande enregistrée » after the form
 * leads to the requests). Read with a peek, which may run twice in React's strict mode, and
 * cleared once the screen that shows it has mounted.
 */
let pending: string | null = null;

export function flash(i18nKey: string): void {
  pending = i18nKey;
}

export function peekFlash(): string | null {
  return pending;
}

export function clearFlash(): void {
  pending = null;
}
