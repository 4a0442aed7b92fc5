import { useSyncExternalStore } from 'react';
import type { Profile, User } from '@phytodiag/api/contract';
import { ApiError, apiJson } from '../api/http';

// Signed-in user, cached in localStorage so "Connecté : …" shows offline too. The cookie is the
// real credential; this copy only drives the UI.
const KEY = 'phytodiag.user';
let user: User | null = readCached();
const listeners = new Set<() => void>();

function readCached(): User | null {
  try {
    const raw = localStorage.getItem(KEY);
    return raw ? (JSON.parse(raw) as User) : null;
  } catch {
    return null;
  }
}

export function setUser(next: User | null): void {
  user = next;
  if (next) localStorage.setItem(KEY, JSON.stringify(next));
  else localStorage.removeItem(KEY);
  for (const l of listeners) l();
}

export function currentUser(): User | null {
  return user;
}

/**
 * Asks the server who this device's session belongs to: the user, or 'expired' (401: the session
 * ended, by expiry or elsewhere), or null when the server could not say (offline, error). Only
 * when this device believes it is signed in: an anonymous visitor would just get a 401 (a console
 * error). The caller decides what follows (privacy/local-data.ts `revalidateSession`).
 */
export async function fetchSession(): Promise<User | 'expired' | null> {
  if (!user) return null;
  try {
    return await apiJson<User>('/api/auth/me');
  } catch (err) {
    return err instanceof ApiError && err.status === 401 ? 'expired' : null;
  }
}

export function useUser(): User | null {
  return useSyncExternalStore(
    (cb) => {
      listeners.add(cb);
      return () => listeners.delete(cb);
    },
    () => user,
  );
}

type AccountChoice = Pick<Profile, 'language' | 'profileKind' | 'mailCaseUpdates'>;

// A choice made here that could not reach the account yet (offline), for whom it was made.
const PENDING_KEY = 'phytodiag.accountPending';

function readPending(): { userId: string; patch: AccountChoice } | null {
  try {
    const raw = localStorage.getItem(PENDING_KEY);
    return raw ? (JSON.parse(raw) as { userId: string; patch: AccountChoice }) : null;
  } catch {
    return null;
  }
}

/** The choice made here for the signed-in account that has not reached it yet, if any. */
export function pendingAccountChoice(): AccountChoice | null {
  const pending = readPending();
  return pending && user && pending.userId === user.id ? pending.patch : null;
}

/**
 * The account follows a choice made on this device (language, profile, the lab's e-mails): the
 * server's messages and e-mails then come in that language, and the lab sees who is asking (a
 * producer's case goes first). Signed out nothing is sent; offline (or on an error) the choice is kept and sent by
 * retryAccountFollow when the network returns or the app starts again.
 */
export async function followOnAccount(patch: AccountChoice): Promise<void> {
  const u = user;
  if (!u) return;
  const earlier = readPending();
  const wanted = { ...(earlier?.userId === u.id ? earlier.patch : {}), ...patch };
  const changes = Object.fromEntries(
    (Object.keys(wanted) as (keyof AccountChoice)[])
      .filter((k) => wanted[k] !== undefined && wanted[k] !== u[k])
      .map((k) => [k, wanted[k]]),
  ) as AccountChoice;
  if (Object.keys(changes).length === 0) {
    localStorage.removeItem(PENDING_KEY);
    return;
  }
  localStorage.setItem(PENDING_KEY, JSON.stringify({ userId: u.id, patch: changes }));
  try {
    const updated = await apiJson<User>('/api/auth/me', { method: 'PATCH', json: changes });
    localStorage.removeItem(PENDING_KEY);
    setUser(updated);
  } catch (err) {
    // Kept for the next try when the server could not be reached (or the session ended: the
    // next sign-in decides); a choice the server refuses would be refused again.
    if (err instanceof ApiError && err.status !== 401) localStorage.removeItem(PENDING_KEY);
  }
}

/** Sends a choice made offline (followOnAccount) once the account can hear it. */
export async function retryAccountFollow(): Promise<void> {
  const pending = readPending();
  if (!pending) return;
  if (!user || user.id !== pending.userId) {
    // Signed out, or someone else signed in since: not theirs to carry.
    localStorage.removeItem(PENDING_KEY);
    return;
  }
  await followOnAccount(pending.patch);
}
