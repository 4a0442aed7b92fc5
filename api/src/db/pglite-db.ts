import { mkdir } from 'node:fs/promises';
import { PGlite } from '@electric-sql/pglite';
import { queryable, type Db } from './types';

/** Embedded PostgreSQL (WASM). `dataDir` is a folder, or `memory://` for tests. */
export async function createPgliteDb(dataDir: string): Promise<Db> {
  if (!dataDir.startsWith('memory://')) await mkdir(dataDir, { recursive: true });
  const pg = await PGlite.create(dataDir);
  const base = queryable(
    'pglite',
    async (sql, params) => (await pg.query(sql, params as unknown[] | undefined)).rows,
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
            async (sql, params) => (await tx.query(sql, params as unknown[] | undefined)).rows,
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
