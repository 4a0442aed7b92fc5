// What a backup folder holds, shared by backup.ts and restore.ts.
import { spawn } from 'node:child_process';
import { join } from 'node:path';

export const MANIFEST_FILE = 'backup.json';
/** PostgreSQL: plain SQL from pg_dump, replayed with psql. */
export const POSTGRES_FILE = 'database.sql';
/** PGlite: its own data-directory dump (a gzipped tar made by dumpDataDir). */
export const PGLITE_FILE = 'pglite.tar.gz';
/** Copy of DATA_DIR/media (content-addressed image variants, sharded by key prefix). */
export const MEDIA_DIR = 'media';

export interface BackupManifest {
  format: 1;
  kind: 'postgres' | 'pglite';
  created: string;
  database: string;
  mediaFiles: number;
}

export const mediaPath = (backupDir: string) => join(backupDir, MEDIA_DIR);

/** Runs a client tool (pg_dump, psql); rejects with its stderr when it fails. */
export function runTool(command: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'inherit', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`${command} exited ${code}: ${stderr.trim()}`)),
    );
  });
}

/** The connection URL without its password, for messages. */
export function describeUrl(url: string): string {
  const u = new URL(url);
  u.password = '';
  return u.toString();
}
