import type { EscalationMessage } from '@phytodiag/api/contract';
import { apiJson, forAccount } from '../api/http';
import type { PhytoDb } from '../db/db';
import type { MessageOutboxRow } from '../db/types';
import { messageQueue, queuedMessagesOf } from './message-outbox';
import { refreshMyCase } from './my-cases';
import {
  flushUserQueue,
  isRefusedForGood,
  outcomeOfError,
  sendInItsTurn,
  settleQueued,
  type QueueFlushReport,
  type SenderRunOptions,
  type SendOutcome,
} from './queue-sender';
import { uploadDeadlineMs } from './sender';
import { recoverWhenAlone } from './sender-lock';

const MESSAGES_LOCK = 'phytodiag-messages';
/** Background Sync tag: the service worker sends the queue when the network returns (sw.ts). */
export const MESSAGES_SYNC = 'phytodiag-messages';

export type MessageOutcome = SendOutcome<EscalationMessage>;

/** One try. The clientId goes along: a resend after a lost answer gets the same message back. */
async function post(row: MessageOutboxRow, fetchImpl: typeof fetch): Promise<MessageOutcome> {
  const path = `/api/escalations/${encodeURIComponent(row.escalationId)}/messages`;
  const bytes = row.photos.reduce((sum, p) => sum + p.size, 0);
  const signal = AbortSignal.timeout(uploadDeadlineMs(bytes));
  let init: RequestInit & { json?: unknown };
  // With when it was written here: a message kept with no signal reaches the lab hours later.
  if (row.photos.length === 0) {
    const json = { body: row.body, clientId: row.clientId, writtenAt: row.createdAt };
    init = { method: 'POST', json, signal, headers: forAccount(row.userId) };
  } else {
    const form = new FormData();
    form.append('clientId', row.clientId);
    form.append('writtenAt', row.createdAt);
    form.append('body', row.body);
    row.photos.forEach((p, i) => form.append('photo', p, `photo-${i + 1}.jpg`));
    init = { method: 'POST', body: form, signal, headers: forAccount(row.userId) };
  }
  try {
    return { kind: 'sent', value: await apiJson<EscalationMessage>(path, init, fetchImpl) };
  } catch (err) {
    return outcomeOfError(err);
  }
}

/**
 * Writes what a try came to. Sent: gone from the queue and in the case's thread on the device, in
 * one transaction (never shown twice, never missing); a case it reopened is read again. Refused:
 * kept with the server's reason for its author (settleQueued), and its code for the screen.
 */
export async function settleMessage(
  db: PhytoDb,
  row: MessageOutboxRow,
  out: MessageOutcome,
  opts: { fetchImpl?: typeof fetch; now?: number } = {},
): Promise<void> {
  if (out.kind !== 'sent') {
    await settleQueued(messageQueue, db, row.clientId, out, opts.now);
    // The server's reason, for the screen (a closed case, a limit reached); none otherwise.
    const errorCode = out.kind === 'refused' && out.status !== 401 ? out.code : undefined;
    await db.messageOutbox.update(row.clientId, { errorCode });
    return;
  }
  const message = out.value;
  const status = await db.transaction('rw', db.messageOutbox, db.myCases, async () => {
    await db.messageOutbox.delete(row.clientId);
    const c = await db.myCases.get(row.escalationId);
    if (!c) return null;
    const messages = c.messages ?? [];
    if (!messages.some((m) => m.id === message.id))
      await db.myCases.update(c.id, { messages: [...messages, message] });
    return c.status;
  });
  // Written on a closed case, the message reopened it: its status as the lab has it now.
  if (status === 'closed')
    await refreshMyCase(db, row.escalationId, opts.fetchImpl).catch(() => undefined);
}

/**
 * A refusal the form shows instead of keeping the message: what it says or where (a closed case),
 * and the requester's limit of messages (their next one would wait behind it for hours). Not a
 * failing server or an ended session: then the message is kept and goes later.
 */
export function isRefusalForTheForm(
  out: MessageOutcome,
): out is Extract<MessageOutcome, { kind: 'refused' }> {
  return out.kind === 'refused' && (out.status === 429 || isRefusedForGood(out));
}

/** Start-up, even offline: a message whose page died mid-send stops reading « Envoi… ». */
export function recoverInterruptedMessages(db: PhytoDb): Promise<void> {
  return recoverWhenAlone(MESSAGES_LOCK, async () => {
    await messageQueue.markInterrupted(db);
  });
}

/** Sends this account's due messages, oldest first (the thread keeps its order). */
export function flushMessages(
  db: PhytoDb,
  userId: string,
  opts: SenderRunOptions & { fetchImpl?: typeof fetch } = {},
): Promise<QueueFlushReport<EscalationMessage>> {
  const fetchImpl = opts.fetchImpl ?? fetch.bind(globalThis);
  return flushUserQueue(
    db,
    userId,
    {
      lock: MESSAGES_LOCK,
      queue: messageQueue,
      send: (row) => post(row, fetchImpl),
      settle: (row, out) => settleMessage(db, row, out, { fetchImpl, ...opts }),
    },
    opts,
  );
}

/**
 * Earlier messages of this case wait on the device and will go by themselves (not refused for
 * good): a new one must not overtake them, or the lab reads the thread out of order.
 */
export async function earlierMessagesWait(
  db: PhytoDb,
  userId: string,
  escalationId: string,
): Promise<boolean> {
  return (await queuedMessagesOf(db, userId, escalationId)).some((r) => !r.permanentError);
}

/**
 * The thread's « Envoyer » when earlier messages of the case wait (earlierMessagesWait): the new
 * one was kept behind them ('queued') and the queue runs now, forced (the user is here, online),
 * after any run in progress, oldest first. True when the new one went.
 */
export async function sendInTurn(
  db: PhytoDb,
  row: MessageOutboxRow,
  fetchImpl: typeof fetch = fetch.bind(globalThis),
): Promise<boolean> {
  await flushMessages(db, row.userId, { fetchImpl, force: true, wait: true });
  return (await db.messageOutbox.get(row.clientId)) === undefined;
}

/**
 * The thread's « Envoyer »: the row was kept first (state 'sending'), then goes now, after any
 * run of the queue in progress. Refused for its content (a closed case, too long) or past the
 * limit: gone from the device when the form still holds it and says why (`formHolds`). The wait
 * for a run in progress can be long: the person may have left the screen, and the device's row
 * is then the only copy. It stays, with the refusal (or, past the limit, to go later).
 */
export async function sendMessageNow(
  db: PhytoDb,
  row: MessageOutboxRow,
  fetchImpl: typeof fetch = fetch.bind(globalThis),
  formHolds: () => boolean = () => true,
): Promise<MessageOutcome> {
  const outcome = await sendInItsTurn(MESSAGES_LOCK, () => post(row, fetchImpl));
  if (isRefusalForTheForm(outcome) && formHolds()) await messageQueue.forget(db, row.clientId);
  else await settleMessage(db, row, outcome, { fetchImpl });
  return outcome;
}
