import { useState } from 'react';
import { useLiveQuery } from 'dexie-react-hooks';
import { db } from '../db/db';
import { defaultSettings } from '../db/settings';
import type { SettingsRow } from '../db/types';

/** Live settings row; undefined only during the very first IndexedDB read. */
export function useSettings(): SettingsRow | undefined {
  return useLiveQuery(async () => (await db.settings.get('settings')) ?? defaultSettings(), []);
}

/**
 * A saved setting as the form shows it: the user's choice at once, then the saved value whenever
 * that changes. A change is written to IndexedDB and comes back a moment later; without this the
 * control would show the old value meanwhile (a radio or a box flipping back, announced so by a
 * screen reader). `same` tells two values apart (by default `Object.is`).
 */
export function useShown<T>(
  saved: T,
  same: (a: T, b: T) => boolean = Object.is,
): [T, (next: T) => void] {
  const [shown, setShown] = useState(saved);
  const [last, setLast] = useState(saved);
  if (!same(last, saved)) {
    setLast(saved);
    setShown(saved);
  }
  return [shown, setShown];
}
