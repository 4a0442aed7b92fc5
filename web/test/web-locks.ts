/**
 * The browser's Web Locks as the queues use them (exclusive locks, `ifAvailable`, holders and
 * waiters by name), for Node, where `navigator.locks` does not exist. A lock is granted to the
 * first waiter when its holder's callback settles, as in the browser (a closed page's locks are
 * freed the same way).
 */
export function fakeWebLocks() {
  const held = new Set<string>();
  const pending: { name: string; grant: () => void }[] = [];

  async function request<T>(
    name: string,
    opts: { ifAvailable?: boolean },
    cb: (lock: object | null) => Promise<T>,
  ): Promise<T> {
    if (held.has(name) || pending.some((p) => p.name === name)) {
      if (opts.ifAvailable) return cb(null);
      await new Promise<void>((grant) => pending.push({ name, grant }));
    }
    held.add(name);
    try {
      return await cb({ name });
    } finally {
      held.delete(name);
      const next = pending.findIndex((p) => p.name === name);
      if (next >= 0) pending.splice(next, 1)[0]?.grant();
    }
  }

  return {
    request,
    query: async () => ({
      held: [...held].map((name) => ({ name })),
      pending: pending.map(({ name }) => ({ name })),
    }),
  };
}
