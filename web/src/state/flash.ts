/**
 * A one-time message carried from one screen to the next (« Demande enregistrée » after the form
 * leads to the requests), with the request it is about, so the next screen can follow what becomes
 * of it. Read with a peek, which may run twice in React's strict mode, and cleared once the screen
 * that shows it has mounted.
 */
export interface Flash {
  i18nKey: string;
  /** The outbox row (client id) the message is about, if any. */
  clientId?: string;
}

let pending: Flash | null = null;

export function flash(i18nKey: string, clientId?: string): void {
  pending = { i18nKey, clientId };
}

export function peekFlash(): Flash | null {
  return pending;
}

export function clearFlash(): void {
  pending = null;
}
