export type DbKind = 'pglite' | 'postgres';

/** What repositories need: parameterised queries, in or out of a transaction. */
export interface Queryable {
  readonly kind: DbKind;
  query<T>(sql: string, params?: readonly unknown[]): Promise<T[]>;
  /** Exactly one row, else throws. */
  one<T>(sql: string, params?: readonly unknown[]): Promise<T>;
  /** Zero or one row. */
  maybeOne<T>(sql: string, params?: readonly unknown[]): Promise<T | null>;
  /** Several statements without parameters (migration scripts). */
  exec(sql: string): Promise<void>;
}

/** What a LISTEN subscriber hears. */
export interface ChannelListener {
  /** A NOTIFY on the channel (delivered once its transaction committed). */
  onNotify(payload: string): void;
  /**
   * Notifications may have been missed: the listening connection was lost, or came back. A cache
   * kept fresh by notifications must be dropped here and not trusted until `live` again.
   */
  onGap(): void;
}

export interface Subscription {
  /** True while notifications are being received; caches are only trustworthy then. */
  readonly live: boolean;
  close(): Promise<void>;
}

export interface Db extends Queryable {
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  /** LISTEN on `channel` (a plain identifier) for NOTIFYs from any connection or instance. */
  listen(channel: string, listener: ChannelListener): Promise<Subscription>;
  close(): Promise<void>;
}

type RowsFn = (sql: string, params?: readonly unknown[]) => Promise<unknown[]>;

/** Builds one/maybeOne on top of a driver's `rows` function. */
export function queryable(
  kind: DbKind,
  rows: RowsFn,
  exec: (sql: string) => Promise<void>,
): Queryable {
  const query = async <T>(sql: string, params?: readonly unknown[]) =>
    (await rows(sql, params)) as T[];
  return {
    kind,
    query,
    exec,
    async one<T>(sql: string, params?: readonly unknown[]) {
      const result = await query<T>(sql, params);
      if (result.length !== 1) throw new Error(`Expected one row, got ${result.length}`);
      return result[0] as T;
    },
    async maybeOne<T>(sql: string, params?: readonly unknown[]) {
      const result = await query<T>(sql, params);
      if (result.length > 1) throw new Error(`Expected at most one row, got ${result.length}`);
      return (result[0] as T | undefined) ?? null;
    },
  };
}
