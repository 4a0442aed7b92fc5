import type { PhytoDb } from '../db/db';
import { readSettings, updateSettings } from '../db/settings';
import type { SettingsRow } from '../db/types';
import { clearDetections } from '../detections/detection-repo';
import { fetchConsents, saveConsents } from './privacy-api';

export type ConsentPatch = Partial<Pick<SettingsRow, 'consentLocation' | 'consentShareDetections'>>;

/**
 * The device's copy of the consents is what the device obeys (GPS reads, reporting), so it works
 * offline; the server keeps the record (history) and refuses reports without it. A change made
 * offline is marked pending and pushed before the next reports are sent.
 */
export async function changeConsents(
  db: PhytoDb,
  patch: ConsentPatch,
  opts: { signedIn: boolean; fetchImpl?: typeof fetch },
): Promise<SettingsRow> {
  // Withdrawal takes effect at once on the device: the unsent reports go with it.
  if (patch.consentShareDetections === false) await clearDetections(db);
  // Pending even when signed out: the next sign-in pushes this latest explicit choice.
  const next = await updateSettings(db, {
    ...patch,
    consentsPending: true,
    // A choice made in Settings answers the first-result question too.
    ...(patch.consentShareDetections === undefined ? {} : { shareDetectionsAsked: true }),
  });
  if (opts.signedIn) await pushConsents(db, opts.fetchImpl).catch(() => undefined);
  return readSettings(db).catch(() => next);
}

/** Sends the pending consents. Throws (network, 401...) and leaves them pending on failure. */
export async function pushConsents(db: PhytoDb, fetchImpl?: typeof fetch): Promise<void> {
  const s = await readSettings(db);
  if (!s.consentsPending) return;
  await saveConsents(
    { location: s.consentLocation, shareDetections: s.consentShareDetections },
    fetchImpl,
  );
  // Only clear the flag if nothing changed meanwhile (another toggle while the PUT was running).
  await db.transaction('rw', db.settings, async () => {
    const now = await readSettings(db);
    if (
      now.consentLocation === s.consentLocation &&
      now.consentShareDetections === s.consentShareDetections
    )
      await updateSettings(db, { consentsPending: false });
  });
}

/**
 * After sign-in: a change made on this device and not yet sent wins (it was the person's latest
 * explicit choice); otherwise the device adopts the account's consents.
 */
export async function syncConsentsAfterSignIn(
  db: PhytoDb,
  fetchImpl?: typeof fetch,
): Promise<void> {
  const s = await readSettings(db);
  if (s.consentsPending) return pushConsents(db, fetchImpl);
  const server = await fetchConsents(fetchImpl);
  if (!server.shareDetections) await clearDetections(db);
  await updateSettings(db, {
    consentLocation: server.location,
    consentShareDetections: server.shareDetections,
    consentsPending: false,
  });
}

/** Sign-out / account deletion: reporting belongs to an account, so it stops with it. */
export async function resetSharingConsent(db: PhytoDb): Promise<void> {
  await clearDetections(db);
  await updateSettings(db, { consentShareDetections: false, consentsPending: false });
}
