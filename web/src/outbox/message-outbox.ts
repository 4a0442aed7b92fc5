import type { PhytoDb } from '../db/db';
import type { MessageOutboxRow } from '../db/types';
import { freshQueueFields, userQueue } from './user-queue';

/** The requester's thread messages waiting on the device (v7), by account. */
export const messageQueue = userQueue((db) => db.messageOutbox);

/**
 * Keeps a message on the device before anything is sent: written with no signal, it survives a
 * reload, the app closed or a crash mid-send. `state: 'sending'` when the page sends it at once
 * (the queue's runs leave it alone for the lease, then take it as abandoned).
 */
export async function keepMessage(
  db: PhytoDb,
  input: { userId: string; escalationId: string; body: string; photos: Blob[] },
  opts: { state?: 'queued' | 'sending'; now?: number } = {},
): Promise<MessageOutboxRow> {
  const row: MessageOutboxRow = {
    clientId: crypto.randomUUID(),
    ...freshQueueFields(input.userId, opts.state ?? 'queued', opts.now ?? Date.now()),
    escalationId: input.escalationId,
    body: input.body,
    photos: input.photos,
  };
  await db.messageOutbox.add(row);
  return row;
}

/** This account's messages for one case still on the device, oldest first. */
export function queuedMessagesOf(
  db: PhytoDb,
  userId: string,
  escalationId: string,
): Promise<MessageOutboxRow[]> {
  return db.messageOutbox
    .where('escalationId')
    .equals(escalationId)
    .filter((r) => r.userId === userId)
    .sortBy('createdAt');
}

/** « Supprimer »: the author takes back a message not sent (never one being sent). */
export function discardQueuedMessage(db: PhytoDb, clientId: string): Promise<boolean> {
  return messageQueue.discard(db, clientId);
}
