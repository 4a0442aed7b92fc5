import type { QueueFlushReport } from '../outbox/queue-sender';
import { coalescingRunner, type CoalescingRunner } from '../outbox/coalescing-runner';
import { revalidateSession } from '../privacy/local-data';
import { currentUser } from './session';

/**
 * Runs one of the signed-in account's queues (bank photos, thread messages, ratings) from the page,
 * online only, one run at a time (coalescingRunner). `onSent`: how many the run delivered.
 */
export function accountQueueRunner<S>(
  flush: (userId: string, force: boolean) => Promise<QueueFlushReport<S>>,
  onSent?: (count: number) => void,
): CoalescingRunner {
  return coalescingRunner(
    async (force) => {
      const user = currentUser();
      if (!user) return;
      const report = await flush(user.id, force).catch(() => null);
      // A 401: the session ended while the app was open. Settled as the case outbox does, so the
      // 30 s timer does not send the same rows to be refused again and again.
      if (report?.stopped === 'auth') await revalidateSession();
      if (report && report.sent.length > 0) onSent?.(report.sent.length);
    },
    { canRun: () => navigator.onLine && currentUser() !== null },
  );
}
