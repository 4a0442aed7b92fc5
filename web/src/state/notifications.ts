import { useSyncExternalStore } from 'react';
import type { NotificationList } from '@phytodiag/api/contract';
import { apiJson } from '../api/http';
import { fetchNotifications, markNotificationsRead } from '../lab/lab-api';
import { currentUser } from './session';

// Unread lab notifications (answers, sample requests, messages) for the badge in the tab bar.
// Cached in localStorage so the badge survives a reload offline; the server stays the truth.
const KEY = 'phytodiag.notifications';
const POLL_MS = 60_000;
let state: NotificationList = readCached();
const listeners = new Set<() => void>();

function readCached(): NotificationList {
  try {
    const raw = localStorage.getItem(KEY);
    return raw ? (JSON.parse(raw) as NotificationList) : { unread: 0, items: [] };
  } catch {
    return { unread: 0, items: [] };
  }
}

function set(next: NotificationList): void {
  state = next;
  localStorage.setItem(KEY, JSON.stringify(next));
  for (const l of listeners) l();
}

export async function refreshNotifications(): Promise<void> {
  if (!currentUser()) {
    if (state.unread > 0 || state.items.length > 0) set({ unread: 0, items: [] });
    return;
  }
  if (!navigator.onLine) return;
  try {
    set(await fetchNotifications());
  } catch {
    // Offline or the endpoint is not there yet: keep the cached count.
  }
}

/** Opening a case reads its notifications. */
export async function readNotificationsOf(escalationId: string): Promise<void> {
  // The list is polled: a notification newer than it (the sample request the person just opened
  // the case for) would stay unread. Ask again before concluding there is nothing to read.
  if (unreadOf(state, escalationId) === 0) await refreshNotifications();
  if (unreadOf(state, escalationId) === 0) return;
  await markNotificationsRead(escalationId).catch(() => undefined);
  await refreshNotifications();
}

/** Opening an alert reads it (an alert has no case to open). */
export async function readNotification(id: string): Promise<void> {
  if (!state.items.some((n) => n.id === id && !n.readAt)) return;
  await apiJson<unknown>('/api/notifications/read', { method: 'POST', json: { ids: [id] } }).catch(
    () => undefined,
  );
  await refreshNotifications();
}

export function unreadOf(list: NotificationList, escalationId: string): number {
  return list.items.filter((n) => n.escalationId === escalationId && !n.readAt).length;
}

let timer: ReturnType<typeof setInterval> | null = null;
export function startNotificationPolling(): void {
  // No fetch here: App's effect on the signed-in user already fetched once at start.
  if (timer) return;
  timer = setInterval(() => void refreshNotifications(), POLL_MS);
  window.addEventListener('online', () => void refreshNotifications());
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'visible') void refreshNotifications();
  });
}

export function useNotifications(): NotificationList {
  return useSyncExternalStore(
    (cb) => {
      listeners.add(cb);
      return () => listeners.delete(cb);
    },
    () => state,
  );
}
