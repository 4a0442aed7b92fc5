import { createPgliteDb } from './pglite-db';
import { createPostgresDb } from './postgres-db';
import type { Db } from './types';

export function createDb(options: {
  databaseUrl?: string;
  pgliteDir: string;
  /** A pooled PostgreSQL connection lost while idle (the pool reconnects on the next query). */
  onIdleError?: (err: Error) => void;
}): Promise<Db> {
  return options.databaseUrl
    ? createPostgresDb(options.databaseUrl, options.onIdleError)
    : createPgliteDb(options.pgliteDir);
}
