import type { PhytoDb } from '../db/db';
import { readSettings } from '../db/settings';
import type { ContactPreference } from '@phytodiag/api/contract';
import type { DraftForm, OutboxCase, OutboxRow } from '../db/types';
import { countBackingOffIn, failedSendUpdate } from './backoff';

/** A row left in 'sending' longer than this was interrupted (tab closed, app update). */
export const SENDING_LEASE_MS = 2 * 60_000;

export function newClientId(): string {
  return crypto.randomUUID();
}

/** Whose requests this device may show and send now: the signed-in account's, or null. */
async function deviceOwner(db: PhytoDb): Promise<string | null> {
  return (await readSettings(db)).privateDataOwner ?? null;
}

/** A row the signed-in account (or the signed-out device, for `null`) may see and send. */
export function belongsTo(row: OutboxRow, owner: string | null): boolean {
  return !row.ownerId || row.ownerId === owner;
}

/**
 * Saves the form as a 'draft' (autosave while typing). One transaction, so a late autosave can
 * never turn a case that was just queued back into a draft.
 */
export async function saveDraft(
  db: PhytoDb,
  c: OutboxCase,
  photos: Blob[],
  form?: DraftForm,
): Promise<void> {
  await db.transaction('rw', db.outbox, db.settings, async () => {
    const now = new Date().toISOString();
    const existing = await db.outbox.get(c.clientId);
    if (existing && existing.state !== 'draft') return; // never overwrite a submitted case
    await db.outbox.put({
      ownerId: await deviceOwner(db),
      clientId: c.clientId,
      createdAt: existing?.createdAt ?? now,
      updatedAt: now,
      state: 'draft',
      case: c,
      photos,
      attempts: 0,
      nextAttemptAt: now,
      lastError: null,
      permanentError: false,
      serverId: null,
      ...(form ? { form } : existing?.form ? { form: existing.form } : {}),
    });
  });
}

/** Submit: the draft (same clientId) becomes 'queued' for the sender. */
export async function queueCase(
  db: PhytoDb,
  c: OutboxCase,
  photos: Blob[],
  form?: DraftForm,
): Promise<void> {
  await db.transaction('rw', db.outbox, db.settings, async () => {
    await saveDraft(db, c, photos, form);
    await db.outbox.update(c.clientId, { state: 'queued', updatedAt: new Date().toISOString() });
  });
}

/**
 * The latest draft started from this diagnosis (or from no diagnosis) and from this fact sheet
 * (or none), to restore the form: a draft about tomatoes must not come back under the apple scab
 * sheet's « Demander à un spécialiste ».
 */
export async function findDraft(
  db: PhytoDb,
  diagnosisId: string | null,
  about: string | null = null,
): Promise<OutboxRow | null> {
  const owner = await deviceOwner(db);
  const drafts = await db.outbox.where('state').equals('draft').toArray();
  const mine = drafts
    .filter(
      (r) =>
        belongsTo(r, owner) &&
        r.form &&
        r.form.diagnosisId === diagnosisId &&
        (r.form.about ?? null) === about,
    )
    .sort((a, b) => b.updatedAt.localeCompare(a.updatedAt));
  return mine[0] ?? null;
}

/**
 * How this account asked to be answered on its latest submitted request on this device, and the
 * last call-back number it gave, so the next request does not make a producer retype it in the
 * field. Read from the outbox the device already keeps (forgotten with it at sign-out); nothing
 * new is stored.
 */
export async function lastContact(
  db: PhytoDb,
): Promise<{ contact: ContactPreference | null; phone: string }> {
  const owner = await deviceOwner(db);
  const rows = (await db.outbox.where('state').noneOf(['draft']).toArray())
    .filter((r) => belongsTo(r, owner))
    .sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  return {
    contact: rows[0] ? (rows[0].case.contactPreference ?? 'app') : null,
    phone: rows.find((r) => r.case.contactPhone)?.case.contactPhone ?? '',
  };
}

/**
 * The latest request this account already submitted from this diagnosis on this device, if any:
 * a form reopened on the same diagnosis (the Back button after sending, a second tap on « Demander
 * à un spécialiste ») says so before a second request about the same photos goes to the lab.
 */
export async function submittedFor(
  db: PhytoDb,
  diagnosisId: string,
): Promise<{ createdAt: string; serverId: string | null } | null> {
  const owner = await deviceOwner(db);
  const rows = (await db.outbox.where('state').noneOf(['draft']).toArray())
    .filter((r) => belongsTo(r, owner) && r.form?.diagnosisId === diagnosisId)
    .sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  const row = rows[0];
  return row ? { createdAt: row.createdAt, serverId: row.serverId } : null;
}

/** "Start over": drops a draft, never a submitted case. */
export async function discardDraft(db: PhytoDb, clientId: string): Promise<void> {
  await db.transaction('rw', db.outbox, async () => {
    const row = await db.outbox.get(clientId);
    if (row?.state === 'draft') await db.outbox.delete(clientId);
  });
}

/**
 * A submitted case the lab cannot have: queued and never tried (e.g. waiting for sign-in), or
 * refused by the server for good. One that was tried and may have reached the server is not
 * withdrawable here: the lab may already hold it.
 */
export function isWithdrawable(row: OutboxRow): boolean {
  return (
    (row.state === 'queued' && row.attempts === 0) || (row.state === 'failed' && row.permanentError)
  );
}

/**
 * "Withdraw" a request that never left the device: the row and its photos are deleted. Checked
 * again inside the transaction, so a sender that claimed it meanwhile wins and nothing is lost.
 */
export async function withdrawCase(db: PhytoDb, clientId: string): Promise<boolean> {
  return db.transaction('rw', db.outbox, async () => {
    const row = await db.outbox.get(clientId);
    if (!row || !isWithdrawable(row)) return false;
    await db.outbox.delete(clientId);
    return true;
  });
}

/**
 * "Edit" a request that never left the device: it becomes a draft again, with the same clientId
 * (its idempotency key: the server never had it) and its photos, and the form reopens on it. The
 * form it was written with, or null when a sender claimed it meanwhile (checked inside the
 * transaction, as withdrawCase does) or it has no form to reopen.
 */
export async function reopenAsDraft(db: PhytoDb, clientId: string): Promise<DraftForm | null> {
  return db.transaction('rw', db.outbox, async () => {
    const row = await db.outbox.get(clientId);
    if (!row?.form || !isWithdrawable(row)) return null;
    await db.outbox.update(clientId, {
      state: 'draft',
      updatedAt: new Date().toISOString(),
      attempts: 0,
      lastError: null,
      permanentError: false,
    });
    return row.form;
  });
}

/** Atomically move due rows to 'sending' so two senders (tab + service worker) never share one. */
export async function claimDue(db: PhytoDb, now = Date.now(), force = false): Promise<OutboxRow[]> {
  return db.transaction('rw', db.outbox, db.settings, async () => {
    const settings = await readSettings(db);
    // Signed out offline: the browser still holds the old session until the sign-out reaches
    // the server; nothing may be sent under it.
    if (settings.signOutPending) return [];
    const owner = settings.privateDataOwner ?? null;
    const rows = await db.outbox.toArray();
    const due = rows.filter((r) => {
      // Another account's request waits for that person to sign in again on this device.
      if (!belongsTo(r, owner)) return false;
      if (r.state === 'sending') return now - Date.parse(r.updatedAt) > SENDING_LEASE_MS;
      if (r.state === 'queued') return true;
      if (r.state === 'failed' && !r.permanentError)
        return force || Date.parse(r.nextAttemptAt) <= now;
      return false;
    });
    // Oldest first: the lab receives cases in the order the producer wrote them (rows come
    // back in clientId order, which is random).
    due.sort((a, b) => a.createdAt.localeCompare(b.createdAt));
    const stamp = new Date(now).toISOString();
    for (const r of due) {
      r.state = 'sending';
      r.updatedAt = stamp;
      await db.outbox.put(r);
    }
    return due;
  });
}

/** Rows marked as being sent: almost always none, so a run looks before doing more. */
export function countSending(db: PhytoDb): Promise<number> {
  return db.outbox.where('state').equals('sending').count();
}

/** Why a row is due again: its sender died mid-upload (see markInterrupted). */
export const INTERRUPTED = 'INTERRUPTED';

/**
 * Rows a sender left 'sending' when its page was reloaded or closed mid-upload (the caller knows
 * that sender is gone: `recoverWhenAlone`). The request may have reached the server, so this counts
 * as a try (it can no longer be withdrawn or edited); its clientId makes a second arrival harmless.
 * Due again at once, without backoff: nothing went wrong with the network.
 */
export async function markInterrupted(db: PhytoDb, now = Date.now()): Promise<number> {
  return db.transaction('rw', db.outbox, async () => {
    const rows = await db.outbox.where('state').equals('sending').toArray();
    for (const r of rows) {
      await db.outbox.update(r.clientId, {
        ...failedSendUpdate(r.attempts, INTERRUPTED, false, now),
        nextAttemptAt: new Date(now).toISOString(),
      });
    }
    return rows.length;
  });
}

/**
 * A run still uploading keeps its rows: their lease is renewed while the upload goes on, so a slow
 * uplink is not taken for an interrupted run (and the rows sent a second time by another sender).
 */
export async function renewLeases(db: PhytoDb, clientIds: string[]): Promise<void> {
  await db.outbox
    .where('clientId')
    .anyOf(clientIds)
    .and((r) => r.state === 'sending')
    .modify({ updatedAt: new Date().toISOString() });
}

export async function markSent(db: PhytoDb, clientId: string, serverId: string): Promise<void> {
  await db.outbox.update(clientId, {
    state: 'sent',
    serverId,
    lastError: null,
    updatedAt: new Date().toISOString(),
    // Photos are on the server now; free the device's storage.
    photos: [],
  });
}

/** Back to the queue without counting an attempt (e.g. the user must sign in first). */
export async function markWaiting(db: PhytoDb, clientId: string, reason: string): Promise<void> {
  await db.outbox.update(clientId, {
    state: 'queued',
    lastError: reason,
    updatedAt: new Date().toISOString(),
  });
}

/** Claimed but not tried (the run stopped first): back to the queue, no attempt counted. */
export async function releaseClaim(db: PhytoDb, clientId: string): Promise<void> {
  await db.outbox
    .where('clientId')
    .equals(clientId)
    .and((r) => r.state === 'sending')
    .modify({ state: 'queued', updatedAt: new Date().toISOString() });
}

export async function markFailed(
  db: PhytoDb,
  clientId: string,
  message: string,
  permanent: boolean,
  now = Date.now(),
  /** The open case the server holds these photos in (DUPLICATE_CASE), to open it from here. */
  duplicateOf: string | null = null,
): Promise<void> {
  const row = await db.outbox.get(clientId);
  if (!row) return;
  await db.outbox.update(clientId, {
    ...failedSendUpdate(row.attempts, message, permanent, now),
    duplicateOf,
  });
}

/** User pressed "retry" on a failed case (e.g. after fixing what the server refused). */
export async function retryNow(db: PhytoDb, clientId: string): Promise<void> {
  await db.outbox.update(clientId, {
    state: 'queued',
    permanentError: false,
    nextAttemptAt: new Date().toISOString(),
  });
}

/**
 * Cases waiting out a backoff after a failed try (see the account queues' countBackingOff): the
 * signed-in account's (or the signed-out device's) only. Another account's wait for its sign-in
 * (claimDue), and a sync retried for them would send nothing.
 */
export async function countBackingOff(db: PhytoDb, now = Date.now()): Promise<number> {
  const owner = await deviceOwner(db);
  return countBackingOffIn(db.outbox, now, (r) => belongsTo(r, owner));
}

export async function pendingCount(db: PhytoDb): Promise<number> {
  return db.outbox.where('state').anyOf('queued', 'sending', 'failed').count();
}
