import { useSyncExternalStore } from 'react';
import type { User } from '@phytodiag/api/contract';
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
 * Revalidate against the server when online (a 401 means the session expired). Only when this
 * device believes it is signed in: an anonymous visitor would just get a 401 (a console error).
 */
export async function refreshSession(): Promise<void> {
  if (!user) return;
  try {
    setUser(await apiJson<User>('/api/auth/me'));
  } catch (err) {
    if (err instanceof ApiError && err.status === 401) setUser(null);
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
