import type { PhytoDb } from '../db/db';
import { keepMessage } from './message-outbox';

/**
 * A request refused as a duplicate (the same photos are in a request still open) becomes a
 * message in that open request: its words, without the photos the lab already has there. Sending
 * it again would be refused the same way as long as that request is open. The refused row leaves
 * the device in the same transaction as the message is kept: the words are never lost, nor in two
 * places. The open request's id, or null when the row is no longer such a refusal or says nothing.
 */
export async function addToOpenRequest(
  db: PhytoDb,
  clientId: string,
  userId: string,
): Promise<string | null> {
  return db.transaction('rw', db.outbox, db.messageOutbox, async () => {
    const row = await db.outbox.get(clientId);
    const openId = row?.duplicateOf;
    const words = row?.case.description.trim();
    if (!row || row.state !== 'failed' || !openId || !words) return null;
    // Another account's refused request on a shared device is not this person's to move.
    if (row.ownerId && row.ownerId !== userId) return null;
    await keepMessage(db, { userId, escalationId: openId, body: words, photos: [] });
    await db.outbox.delete(clientId);
    return openId;
  });
}
