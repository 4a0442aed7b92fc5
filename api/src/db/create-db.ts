import { createPgliteDb } from './pglite-db';
import { createPostgresDb } from './postgres-db';
import type { Db } from './types';

export function createDb(options: { databaseUrl?: string; pgliteDir: string }): Promise<Db> {
  return options.databaseUrl
    ? createPostgresDb(options.databaseUrl)
    : createPgliteDb(options.pgliteDir);
}
