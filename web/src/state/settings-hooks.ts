import { useLiveQuery } from 'dexie-react-hooks';
import { db } from '../db/db';
import { defaultSettings } from '../db/settings';
import type { SettingsRow } from '../db/types';

/** Live settings row; undefined only during the very first IndexedDB read. */
export function useSettings(): SettingsRow | undefined {
  return useLiveQuery(async () => (await db.settings.get('settings')) ?? defaultSettings(), []);
}
