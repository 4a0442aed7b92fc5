import pg from 'pg';
import { listenPostgres } from './postgres-listen';
import { queryable, type Db, type Subscription } from './types';

// timestamptz/jsonb/arrays are parsed by pg already; bigint (int8) stays a string, so
// repositories convert revisions with Number().

/** PostgreSQL through a pg Pool (DATABASE_URL). */
export async function createPostgresDb(
  connectionString: string,
  onIdleError: (err: Error) => void = () => undefined,
): Promise<Db> {
  const pool = new pg.Pool({ connectionString, max: 10 });
  // An idle client whose connection the server ends (restart, failover, an admin's
  // pg_terminate_backend, DROP DATABASE ... FORCE) is reported here; with no listener that is an
  // uncaught exception that kills the process. The pool has already dropped that client.
  pool.on('error', onIdleError);
  // Fail fast on a wrong URL instead of at the first request.
  const client = await pool.connect();
  client.release();
  // Listening connections live outside the pool; close() ends them too.
  const subscriptions = new Set<Subscription>();
  const base = queryable(
    'postgres',
    async (sql, params) => (await pool.query(sql, params as unknown[] | undefined)).rows,
    async (sql) => {
      await pool.query(sql);
    },
  );
  return {
    ...base,
    async transaction(fn) {
      const conn = await pool.connect();
      // A transaction owns one connection, which runs one query at a time: callers may still
      // issue several at once (Promise.all in a repository), so queue them here rather than
      // let pg interleave them (deprecated, and an error in pg 9).
      let queue: Promise<unknown> = Promise.resolve();
      const serial = <T>(run: () => Promise<T>): Promise<T> => {
        const next = queue.then(run, run);
        queue = next.catch(() => undefined);
        return next;
      };
      try {
        await conn.query('BEGIN');
        const result = await fn(
          queryable(
            'postgres',
            async (sql, params) =>
              (await serial(() => conn.query(sql, params as unknown[] | undefined))).rows,
            async (sql) => {
              await serial(() => conn.query(sql));
            },
          ),
        );
        await conn.query('COMMIT');
        return result;
      } catch (err) {
        await conn.query('ROLLBACK').catch(() => undefined);
        throw err;
      } finally {
        conn.release();
      }
    },
    async listen(channel, listener) {
      const subscription = await listenPostgres(connectionString, channel, listener, onIdleError);
      subscriptions.add(subscription);
      return subscription;
    },
    async close() {
      await Promise.all([...subscriptions].map((s) => s.close()));
      await pool.end();
    },
  };
}
