import type { PhytoDb } from './db';
import type { Lang, SettingsRow } from './types';

export function defaultSettings(lang: Lang = 'fr'): SettingsRow {
  return {
    id: 'settings',
    profile: null,
    lang,
    crop: null,
    regionCode: null,
    priorsEnabled: true,
    libraryRevision: 0,
    libraryDownloadedAt: null,
    consentLocation: false,
    consentShareDetections: false,
    consentsPending: false,
    shareDetectionsAsked: false,
  };
}

export async function readSettings(db: PhytoDb): Promise<SettingsRow> {
  return (await db.settings.get('settings')) ?? defaultSettings();
}

export async function updateSettings(
  db: PhytoDb,
  patch: Partial<Omit<SettingsRow, 'id'>>,
): Promise<SettingsRow> {
  return db.transaction('rw', db.settings, async () => {
    const next = { ...(await readSettings(db)), ...patch, id: 'settings' as const };
    await db.settings.put(next);
    return next;
  });
}
