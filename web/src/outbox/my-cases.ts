import type { Escalation } from '@phytodiag/api/contract';
import type { PhytoDb } from '../db/db';
import { readSettings, updateSettings } from '../db/settings';
import type { MyCaseRow } from '../db/types';
import { fetchCase, fetchMessages, fetchQueue } from '../lab/lab-api';
import { REOPEN_DAYS } from '../lab/limits';
import { keepCasePhotosOffline } from './case-photo-cache';

/**
 * A closed case its requester may still reopen by writing (the API's rule): the lab had responded
 * (an answer or a sample request), and it closed less than REOPEN_DAYS ago. Until when, or null.
 */
export function reopenableUntil(e: Pick<Escalation, 'status' | 'history'>): string | null {
  if (e.status !== 'closed') return null;
  const responded = e.history.some((h) => h.to === 'answered' || h.to === 'sample_requested');
  const closing = e.history.findLast((h) => h.to === 'closed');
  if (!responded || !closing) return null;
  return new Date(Date.parse(closing.at) + REOPEN_DAYS * 24 * 3600 * 1000).toISOString();
}

export function toMyCase(e: Escalation): Omit<MyCaseRow, 'messages'> {
  const lastChange = e.history.at(-1)?.at ?? e.createdAt;
  return {
    id: e.id,
    clientId: e.clientId,
    createdAt: e.createdAt,
    updatedAt: e.answer?.at ?? lastChange,
    status: e.status,
    crop: e.crop,
    description: e.description,
    answer: e.answer,
    photos: e.photos,
    caseRef: e.caseRef ?? null,
    sampleInstructions: e.sampleInstructions ?? null,
    sampleAddress: e.sampleAddress ?? null,
    rating: e.rating ?? null,
    // Only whether there is one: the coordinates themselves are not needed to list the viewers.
    hasLocation: !!e.location,
    consentPhotoReuse: e.consentPhotoReuse,
    dueAt: e.dueAt,
    reopenableUntil: reopenableUntil(e),
  };
}

/**
 * The server's copy of a case over the device's, read from `readAt` (ms). A read that left before
 * the device's rating landed (its rating queue sends when the network returns, as the case screen
 * reads the case again) arrives without it: the rating stays, or the form would come back for a
 * case already rated. The server never takes a rating back. Likewise the photo-reuse consent
 * changed on this device after the read left: the read's older answer would show a withdrawn
 * consent as still given.
 */
function overDeviceCopy(
  e: Escalation,
  old: MyCaseRow | undefined,
  readAt: number,
): Omit<MyCaseRow, 'messages'> {
  const fresh = toMyCase(e);
  const merged = { ...fresh, rating: fresh.rating ?? old?.rating ?? null };
  if (old?.consentSetAt !== undefined && old.consentSetAt >= readAt) {
    return { ...merged, consentPhotoReuse: old.consentPhotoReuse, consentSetAt: old.consentSetAt };
  }
  return merged;
}

/** The owner changed the photo-reuse consent (the server's answer): on the device, stamped. */
export async function setDeviceConsent(db: PhytoDb, id: string, consent: boolean): Promise<void> {
  await db.myCases.update(id, { consentPhotoReuse: consent, consentSetAt: Date.now() });
}

/** The API answers a case creation with the case itself (Escalation); anything else is not one. */
export function isCaseBody(body: unknown): body is Escalation {
  if (!body || typeof body !== 'object') return false;
  const e = body as Partial<Record<keyof Escalation, unknown>>;
  return (
    typeof e.id === 'string' &&
    typeof e.createdAt === 'string' &&
    typeof e.status === 'string' &&
    Array.isArray(e.photos) &&
    Array.isArray(e.history)
  );
}

/**
 * Store cases, keeping each one's synced thread (the list endpoint does not carry it). `readAt`:
 * when their read left (ms).
 */
export async function saveMyCases(db: PhytoDb, items: Escalation[], readAt: number): Promise<void> {
  await db.transaction('rw', db.myCases, async () => {
    const old = await db.myCases.bulkGet(items.map((e) => e.id));
    await db.myCases.bulkPut(
      items.map((e, i) => ({
        ...overDeviceCopy(e, old[i], readAt),
        messages: old[i]?.messages ?? [],
      })),
    );
  });
}

/**
 * Mirror of GET /api/escalations in IndexedDB so "Mes demandes" reads offline: the newest page,
 * or with `cursor` the page after it (older cases, on request). Cases already mirrored stay.
 * `nextCursor`: there are older cases on the server; null when this page was the last.
 */
export async function refreshMyCases(
  db: PhytoDb,
  fetchImpl: typeof fetch = fetch,
  cursor?: string,
): Promise<{ count: number; nextCursor: string | null }> {
  // mine: staff too get their own cases here, not the lab queue.
  const readAt = Date.now();
  const list = await fetchQueue({ mine: true, ...(cursor ? { cursor } : {}) }, fetchImpl);
  await saveMyCases(db, list.items, readAt);
  const next = list.nextCursor ?? null;
  // Where older cases start, for the "older requests" button. The newest page sets it again:
  // cases sent from another device may have pushed older ones out of it. Loading a page the
  // device already holds costs a request, never a missing case.
  // Written only when it changes: every screen reading the settings would render again.
  if ((await readSettings(db)).olderCasesCursor !== next)
    await updateSettings(db, { olderCasesCursor: next });
  // In the background: the list is usable before the photos are all on the device.
  void db.myCases.toArray().then(keepCasePhotosOffline);
  return { count: list.items.length, nextCursor: next };
}

/** One case and its thread, stored for offline reading. */
export async function refreshMyCase(
  db: PhytoDb,
  id: string,
  fetchImpl: typeof fetch = fetch,
): Promise<void> {
  const readAt = Date.now();
  const [e, thread] = await Promise.all([fetchCase(id, fetchImpl), fetchMessages(id, fetchImpl)]);
  const row = await db.transaction('rw', db.myCases, async () => {
    // A message the device sent while these were read is already in its copy, not in this
    // thread: kept (the server never deletes a message), so it does not vanish until next time.
    const fetched = new Set(thread.items.map((m) => m.id));
    const old = await db.myCases.get(id);
    const sentMeanwhile = (old?.messages ?? []).filter((m) => !fetched.has(m.id));
    const messages = [...thread.items, ...sentMeanwhile].sort((a, b) =>
      a.createdAt.localeCompare(b.createdAt),
    );
    const merged: MyCaseRow = { ...overDeviceCopy(e, old, readAt), messages };
    await db.myCases.put(merged);
    return merged;
  });
  void keepCasePhotosOffline([row]);
}
