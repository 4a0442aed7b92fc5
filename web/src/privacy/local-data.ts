import type { User } from '@phytodiag/api/contract';
import { db } from '../db/db';
import { readSettings, updateSettings } from '../db/settings';
import { forgetPrivateCaches } from '../outbox/case-photo-cache';
import { apiJson, isNetworkError } from '../api/http';
import { fetchSession, setUser } from '../state/session';
import { resetSharingConsent } from './consents';

/**
 * What belongs to the signed-in person leaves the device (their cases, answers and photos, their
 * notifications, the sharing consent), so the next person signing in on a shared tablet sees none
 * of it. Their requests not sent yet stay, marked as theirs: they leave when that person signs in
 * again here, never under someone else's account (outbox-repo `claimDue`).
 */
async function forgetPrivateData(): Promise<void> {
  await Promise.all([
    db.myCases.clear(),
    // Receipts of requests the server has: they show in « Mes demandes » at the next sign-in.
    db.outbox.where('state').equals('sent').delete(),
    updateSettings(db, { olderCasesCursor: undefined, privateDataOwner: null }),
    forgetPrivateCaches(),
    resetSharingConsent(db),
  ]);
  localStorage.removeItem('phytodiag.notifications');
}

/** Sign-out and account deletion. */
export async function forgetSignedInUser(): Promise<void> {
  await forgetPrivateData();
  setUser(null);
}

/**
 * The account is deleted: what it left waiting to be sent (cases, messages, ratings, bank photos)
 * can never leave under it, and the photos are its personal data. Other accounts' rows stay.
 */
export async function forgetDeletedAccount(userId: string): Promise<void> {
  const tables = [db.outbox, db.bankUploads, db.entryDrafts, db.messageOutbox, db.ratingOutbox];
  await db.transaction('rw', tables, async () => {
    await db.outbox.filter((r) => r.ownerId === userId).delete();
    await db.bankUploads.where('userId').equals(userId).delete();
    await db.messageOutbox.where('userId').equals(userId).delete();
    await db.ratingOutbox.where('userId').equals(userId).delete();
    await db.entryDrafts.where('userId').equals(userId).delete();
  });
  await forgetSignedInUser();
}

/**
 * A sign-in (or a session check) succeeded: the device's private data is now this person's. If
 * it was someone else's, because their session ended without « Se déconnecter » (expiry, signed
 * out on another device), it goes first.
 */
export async function adoptSignedInUser(u: User): Promise<void> {
  const { privateDataOwner } = await readSettings(db);
  if (privateDataOwner && privateDataOwner !== u.id) await forgetPrivateData();
  // A new sign-in replaced the cookie of a sign-out still pending: nothing left to end here.
  await updateSettings(db, { privateDataOwner: u.id, signOutPending: false });
  setUser(u);
}

/** Asks the server to end this browser's session; false when the server could not be reached. */
async function endServerSession(): Promise<boolean> {
  try {
    await apiJson('/api/auth/logout', { method: 'POST' });
  } catch (err) {
    if (isNetworkError(err)) return false;
  }
  return true;
}

/**
 * « Se déconnecter »: the server ends the session; offline, the device forgets at once and the
 * sign-out is finished when the network returns (finishPendingSignOut), so the session left in
 * the browser's cookie is not used meanwhile (outbox-repo `claimDue`).
 */
export async function signOut(): Promise<void> {
  if (!(await endServerSession())) await updateSettings(db, { signOutPending: true });
  await forgetSignedInUser();
}

/** Online again (or at start): ends a session whose sign-out was pressed offline. */
export async function finishPendingSignOut(): Promise<void> {
  if (!(await readSettings(db)).signOutPending) return;
  if (await endServerSession()) await updateSettings(db, { signOutPending: false });
}

/** At start, online: the session may have ended meanwhile; then the device forgets its data. */
export async function revalidateSession(): Promise<void> {
  const session = await fetchSession();
  if (session === 'expired') await forgetSignedInUser();
  else if (session) await adoptSignedInUser(session);
}
