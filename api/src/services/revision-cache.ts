import type { Subscription } from '../db/types';

/** Answers kept per revision at most (bounds what odd `since` values or slugs can pin). */
const MAX_ANSWERS = 256;

/**
 * What the library serves depends only on the library revision, which moves with every change
 * (see migration 006). This keeps the current revision and the answers built for it, so a read
 * costs no database round trip while the `library_changed` subscription is live. Without a live
 * subscription (not started, connection lost) every read asks the database, as before.
 */
export function createRevisionCache(readRevision: () => Promise<number>) {
  let subscription: Subscription | null = null;
  let revision: number | null = null;
  // Bumped by every change notification: a revision read that overlapped one is not kept.
  let generation = 0;
  let inFlight: Promise<number> | null = null;
  const answers = new Map<string, unknown>();

  const invalidate = () => {
    generation++;
    revision = null;
  };

  function fetchRevision(): Promise<number> {
    // Single flight: requests arriving while the query runs share its answer (PGlite runs
    // queries one at a time on the event loop).
    inFlight ??= (async () => {
      const started = generation;
      try {
        const value = await readRevision();
        if (started === generation && subscription?.live) revision = value;
        return value;
      } finally {
        inFlight = null;
      }
    })();
    return inFlight;
  }

  return {
    /** Notification handlers for Db.listen('library_changed', …). */
    listener: { onNotify: invalidate, onGap: invalidate },
    /**
     * For this instance's own committed changes: read-your-writes without waiting for the
     * notification, which PostgreSQL delivers a moment after COMMIT returns.
     */
    invalidate,
    watch(sub: Subscription) {
      subscription = sub;
    },
    /** Whether answers are being served from memory (the subscription is live). */
    get live(): boolean {
      return subscription?.live ?? false;
    },

    async current(): Promise<number> {
      if (revision !== null && subscription?.live) return revision;
      return fetchRevision();
    },

    /** The answer for `key` at the current revision, built once per revision. */
    async get<T>(key: string, build: (revision: number) => Promise<T>): Promise<T> {
      const rev = await this.current();
      const fullKey = `${rev}|${key}`;
      const hit = answers.get(fullKey) as T | undefined;
      if (hit !== undefined) return hit;
      const value = await build(rev);
      for (const k of answers.keys()) if (!k.startsWith(`${rev}|`)) answers.delete(k);
      if (answers.size < MAX_ANSWERS) answers.set(fullKey, value);
      return value;
    },
  };
}
export type RevisionCache = ReturnType<typeof createRevisionCache>;
