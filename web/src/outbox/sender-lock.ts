/**
 * One sender at a time per queue for the whole browser (tabs, the service worker, the upload
 * form). `wait: false`: a run skips when another holds the lock (it is already sending, let it
 * finish) and gets null. `wait: true`: waits its turn (the form's own upload). Without Web Locks
 * (old browsers) `fn` just runs; each queue's claim in a transaction still keeps rows single.
 */
export async function withSenderLock<T>(
  name: string,
  fn: () => Promise<T>,
  opts: { wait: boolean } = { wait: false },
): Promise<T | null> {
  const locks = (globalThis.navigator as Navigator | undefined)?.locks;
  if (!locks) return fn();
  return locks.request(name, { ifAvailable: !opts.wait }, async (lock) => (lock ? fn() : null));
}

/**
 * Called while holding the queue's lock: is this the only sender in the browser? The browser
 * frees a lock when its holder dies (page reloaded or closed mid-upload), so a row still marked
 * 'sending' then has nobody sending it. A sender waiting its turn (the upload form, which keeps its
 * row as 'sending' before it takes the lock) owns such a row, so its queue is left to it. False
 * without Web Locks: there, only a row's lease running out tells that its sender died.
 */
export async function aloneOnQueue(name: string): Promise<boolean> {
  const locks = (globalThis.navigator as Navigator | undefined)?.locks;
  if (!locks) return false;
  const { pending = [] } = await locks.query();
  return !pending.some((l) => l.name === name);
}

/**
 * Rows a dead sender left 'sending' are given back to their queue now (`recover`), instead of
 * reading « Envoi en cours » until their lease runs out: at start-up, even offline, and before
 * each run claims its rows. Does nothing while another sender runs or waits.
 */
export async function recoverWhenAlone(name: string, recover: () => Promise<void>): Promise<void> {
  await withSenderLock(name, async () => {
    if (await aloneOnQueue(name)) await recover();
  });
}
