import { ApiError } from '../api/http';
import { db } from '../db/db';
import { keepMessage } from '../outbox/message-outbox';
import {
  earlierMessagesWait,
  flushMessages,
  isRefusalForTheForm,
  MESSAGES_SYNC,
  sendInTurn,
  sendMessageNow,
} from '../outbox/message-sender';
import { registerBackgroundSync } from '../pwa/background-sync';
import { accountQueueRunner } from './account-queue-runner';

// Sends the thread messages written offline at the same moments as the case outbox (start-up,
// back online, the 30 s timer, sign-in), and by Background Sync when the app is closed. The
// thread on screen follows the queue and the case through live queries: nothing to announce.

const runner = accountQueueRunner((userId, force) => flushMessages(db, userId, { force }));

export function kickMessages(force = false): Promise<void> {
  return runner.kick(force);
}

/**
 * A message was kept on the device: Background Sync (Chromium) sends it when the network returns
 * even if the app is closed by then; elsewhere the page's own triggers do, the app open.
 */
export function sendKeptMessagesLater(): void {
  void registerBackgroundSync(MESSAGES_SYNC);
}

/**
 * The requester's « Envoyer » in a case thread. The message is kept on the device first, then
 * sent at once when online: 'sent' once the server has it; 'kept' when it could not go (no
 * network, the server failing, the session ended), and it goes later by itself. Refused for what
 * it says or where (a case closed too long ago), or past the requester's limit, it is not kept
 * and the error is thrown: the form still holds the text and shows why (isRefusalForTheForm).
 * Earlier messages of the case still waiting go first (sendInTurn); a refusal then stays in the
 * thread with the others, saying why.
 */
export async function writeMessage(input: {
  userId: string;
  escalationId: string;
  body: string;
  photos: Blob[];
  online: boolean;
  /** Whether the form is still on screen, holding the text (see sendMessageNow). */
  formHolds?: () => boolean;
}): Promise<'sent' | 'kept'> {
  const { online, formHolds = () => true, ...message } = input;
  const behind = online && (await earlierMessagesWait(db, message.userId, message.escalationId));
  const row = await keepMessage(db, message, { state: online && !behind ? 'sending' : 'queued' });
  if (behind) {
    if (await sendInTurn(db, row).catch(() => false)) return 'sent';
  } else if (online) {
    const out = await sendMessageNow(db, row, undefined, formHolds);
    if (out.kind === 'sent') return 'sent';
    if (isRefusalForTheForm(out) && (await db.messageOutbox.get(row.clientId)) === undefined)
      throw new ApiError(out.status, out.code, out.message);
  }
  sendKeptMessagesLater();
  return 'kept';
}
