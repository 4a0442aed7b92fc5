import pg from 'pg';
import type { ChannelListener, Subscription } from './types';

/** Waits between reconnection attempts (the last one repeats). */
const RETRY_DELAYS_MS = [100, 500, 2_000, 5_000];

/**
 * LISTEN on a dedicated connection: a pooled one would be handed to other queries, and
 * notifications only reach the session that listens. When that connection drops, the listener
 * hears onGap and the subscription stops being live until a new connection listens again;
 * reconnection is retried with backoff until close().
 */
export async function listenPostgres(
  connectionString: string,
  channel: string,
  listener: ChannelListener,
  onError: (err: Error) => void,
): Promise<Subscription> {
  // LISTEN takes an identifier, not a parameter: only plain names may be interpolated.
  if (!/^[a-z_][a-z0-9_]*$/.test(channel)) throw new Error(`invalid channel name ${channel}`);
  let client: pg.Client | null = null;
  let live = false;
  let closed = false;
  let attempt = 0;
  let retry: NodeJS.Timeout | undefined;

  /** `c` is gone; the first report of it (error, end, failed connect) schedules the next try. */
  const lost = (c: pg.Client) => {
    if (client !== c) return;
    client = null;
    if (live) {
      live = false;
      listener.onGap();
    }
    c.end().catch(() => undefined);
    if (closed) return;
    const delay = RETRY_DELAYS_MS[Math.min(attempt++, RETRY_DELAYS_MS.length - 1)];
    retry = setTimeout(() => void connect().catch(onError), delay);
    retry.unref();
  };

  async function connect(): Promise<void> {
    const c = new pg.Client({ connectionString });
    client = c;
    c.on('error', (err) => {
      onError(err);
      lost(c);
    });
    c.on('end', () => lost(c));
    c.on('notification', (message) => {
      if (message.channel === channel) listener.onNotify(message.payload ?? '');
    });
    try {
      await c.connect();
      await c.query(`LISTEN ${channel}`);
    } catch (err) {
      lost(c);
      throw err;
    }
    if (client !== c) return;
    attempt = 0;
    live = true;
    // Whatever changed before LISTEN took effect was not heard.
    listener.onGap();
  }

  try {
    await connect();
  } catch (err) {
    // Fail fast at start-up, like the pool: no retries behind the caller's back.
    closed = true;
    clearTimeout(retry);
    throw err;
  }
  return {
    get live() {
      return live;
    },
    async close() {
      closed = true;
      clearTimeout(retry);
      live = false;
      const c = client;
      client = null;
      await c?.end().catch(() => undefined);
    },
  };
}
