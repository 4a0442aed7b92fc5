import { db } from '../db/db';
import { updateSettings } from '../db/settings';
import { forgetPrivateCaches } from '../outbox/case-photo-cache';
import { setUser } from '../state/session';
import { resetSharingConsent } from './consents';

/**
 * Sign-out and account deletion: what belongs to the person leaves the device (their cases,
 * answers and photos, unsent reports, the sharing consent), so the next person signing in on a
 * shared tablet sees none of it.
 */
export async function forgetSignedInUser(): Promise<void> {
  await Promise.all([
    db.myCases.clear(),
    updateSettings(db, { olderCasesCursor: undefined }),
    forgetPrivateCaches(),
    resetSharingConsent(db),
  ]);
  localStorage.removeItem('phytodiag.notifications');
  setUser(null);
}
