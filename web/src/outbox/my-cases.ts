import type { Escalation } from '@phytodiag/api/contract';
import type { PhytoDb } from '../db/db';
import type { MyCaseRow } from '../db/types';
import { fetchCase, fetchMessages, fetchQueue } from '../lab/lab-api';
import { keepCasePhotosOffline } from './case-photo-cache';

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
    rating: e.rating ?? null,
    // Only whether there is one: the coordinates themselves are not needed to list the viewers.
    hasLocation: !!e.location,
  };
}

/** Store cases, keeping each one's synced thread (the list endpoint does not carry it). */
export async function saveMyCases(db: PhytoDb, items: Escalation[]): Promise<void> {
  await db.transaction('rw', db.myCases, async () => {
    const old = await db.myCases.bulkGet(items.map((e) => e.id));
    await db.myCases.bulkPut(
      items.map((e, i) => ({ ...toMyCase(e), messages: old[i]?.messages ?? [] })),
    );
  });
}

/** Mirror of GET /api/escalations in IndexedDB so "Mes demandes" reads offline. */
export async function refreshMyCases(
  db: PhytoDb,
  fetchImpl: typeof fetch = fetch,
): Promise<number> {
  const list = await fetchQueue({}, fetchImpl);
  await saveMyCases(db, list.items);
  // In the background: the list is usable before the photos are all on the device.
  void db.myCases.toArray().then(keepCasePhotosOffline);
  return list.items.length;
}

/** One case and its thread, stored for offline reading. */
export async function refreshMyCase(
  db: PhytoDb,
  id: string,
  fetchImpl: typeof fetch = fetch,
): Promise<void> {
  const [e, thread] = await Promise.all([fetchCase(id, fetchImpl), fetchMessages(id, fetchImpl)]);
  const row: MyCaseRow = { ...toMyCase(e), messages: thread.items };
  await db.myCases.put(row);
  void keepCasePhotosOffline([row]);
}
