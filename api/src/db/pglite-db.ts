import { mkdir } from 'node:fs/promises';
import { PGlite } from '@electric-sql/pglite';
import { runQuery } from './pglite-query';
import { queryable, type Db } from './types';

/** Embedded PostgreSQL (WASM). `dataDir` is a folder, or `memory://` for tests. */
export async function createPgliteDb(dataDir: string): Promise<Db> {
  if (!dataDir.startsWith('memory://')) await mkdir(dataDir, { recursive: true });
  const pg = await PGlite.create(dataDir);
  const base = queryable(
    'pglite',
    // The locks pg.query() takes: none while a transaction is open (its statements would join
    // it), then the statement lock; and the same sync to disk after a statement outside one.
    (sql, params) =>
      pg._runExclusiveTransaction(() =>
        pg.runExclusive(async () => {
          const rows = await runQuery(pg, sql, params);
          await pg.syncToFs();
          return rows;
        }),
      ),
    async (sql) => {
      await pg.exec(sql);
    },
  );
  return {
    ...base,
    // PGlite has a single connection; its transaction() holds it exclusively until done.
    transaction: (fn) =>
      pg.transaction((tx) =>
        fn(
          queryable(
            'pglite',
            // Inside the transaction, which holds the transaction lock: the statement lock only.
            (sql, params) => pg.runExclusive(() => runQuery(pg, sql, params)),
            async (sql) => {
              await tx.exec(sql);
            },
          ),
        ),
      ),
    async listen(channel, listener) {
      // One process owns a PGlite database, so no notification can be lost: live until closed.
      const unlisten = await pg.listen(channel, (payload) => listener.onNotify(payload));
      let live = true;
      return {
        get live() {
          return live && !pg.closed;
        },
        async close() {
          if (!live || pg.closed) return;
          live = false;
          await unlisten();
        },
      };
    },
    close: () => pg.close(),
  };
}
