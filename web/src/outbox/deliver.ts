import type { PhytoDb } from '../db/db';
import { refreshMyCases } from './my-cases';
import type { SenderRunOptions } from './queue-sender';
import { flushOutbox, type SendReport } from './sender';

/**
 * Send the due cases, then refresh the offline copy of "Mes demandes" so the sent ones show there.
 * Both senders use it (the page's runner and the service worker's Background Sync): whichever
 * sent a case refreshes the list, and an open page sees the change through its Dexie live queries
 * (Dexie broadcasts writes across the page and the worker), so no screen has to poll for it.
 */
export async function deliverOutbox(
  db: PhytoDb,
  opts: Omit<SenderRunOptions, 'now'> & { fetchImpl?: typeof fetch } = {},
): Promise<SendReport> {
  const report = await flushOutbox(db, opts);
  if (report.sent > 0) await refreshMyCases(db, opts.fetchImpl).catch(() => undefined);
  return report;
}
