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
