import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { API_ROOT } from '../paths';
import type { Db } from './types';

export const MIGRATIONS_DIR = join(API_ROOT, 'migrations');

/** Arbitrary constant shared by every instance: serialises concurrent migrators on PostgreSQL. */
const MIGRATION_LOCK_KEY = 7_402_117_031;

export interface MigrationResult {
  applied: string[];
  alreadyApplied: number;
}

/**
 * Applies every `NNN_name.sql` not yet recorded in schema_migrations, in order, all in one
 * transaction (all or nothing). On PostgreSQL an advisory lock makes a second instance wait and
 * then see the migrations as applied.
 */
export async function migrate(db: Db, dir = MIGRATIONS_DIR): Promise<MigrationResult> {
  const files = (await readdir(dir)).filter((f) => /^\d{3}_[\w-]+\.sql$/.test(f)).sort();
  return db.transaction(async (tx) => {
    if (tx.kind === 'postgres') {
      await tx.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK_KEY]);
    }
    await tx.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
      name text PRIMARY KEY,
      applied_at timestamptz NOT NULL DEFAULT now()
    )`);
    const done = new Set(
      (await tx.query<{ name: string }>('SELECT name FROM schema_migrations')).map((r) => r.name),
    );
    const applied: string[] = [];
    for (const file of files) {
      if (done.has(file)) continue;
      await tx.exec(await readFile(join(dir, file), 'utf8'));
      await tx.query('INSERT INTO schema_migrations (name) VALUES ($1)', [file]);
      applied.push(file);
    }
    return { applied, alreadyApplied: done.size };
  });
}
