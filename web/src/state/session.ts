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

/**
 * The account follows a choice made on this device (language, profile): the server's e-mails
 * then come in that language, and the lab sees who is asking (a producer's case goes first).
 * Best effort: signed out or offline nothing is sent, and the next change carries it.
 */
export async function followOnAccount(
  patch: Pick<Profile, 'language' | 'profileKind'>,
): Promise<void> {
  const u = user;
  if (!u || (Object.keys(patch) as (keyof typeof patch)[]).every((k) => patch[k] === u[k])) return;
  await apiJson<User>('/api/auth/me', { method: 'PATCH', json: patch })
    .then(setUser)
    .catch(() => undefined);
}
