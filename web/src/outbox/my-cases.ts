import type { Escalation, EscalationList } from '@phytodiag/api/contract';
import { apiJson } from '../api/http';
import type { PhytoDb } from '../db/db';
import type { MyCaseRow } from '../db/types';

export function toMyCase(e: Escalation): MyCaseRow {
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
  };
}

/** Mirror of GET /api/escalations in IndexedDB so "Mes demandes" reads offline. */
export async function refreshMyCases(
  db: PhytoDb,
  fetchImpl: typeof fetch = fetch,
): Promise<number> {
  const list = await apiJson<EscalationList>('/api/escalations', {}, fetchImpl);
  await db.myCases.bulkPut(list.items.map(toMyCase));
  return list.items.length;
}
