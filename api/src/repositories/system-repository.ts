import type { Queryable } from '../db/types';

export function systemRepository(db: Queryable) {
  return {
    /** A trivial query: proves the database answers, not just that the process is up. */
    async ping(): Promise<void> {
      await db.query('SELECT 1');
    },
  };
}
export type SystemRepository = ReturnType<typeof systemRepository>;
