// `npm run db:restore -- <backupDir>`: restores a scripts/backup.ts folder into the configured
// target (DATABASE_URL, else DATA_DIR/pglite) and DATA_DIR/media. Refuses a target database that
// already holds tables, so a typo can never overwrite live data: create an empty database (or
// point DATA_DIR at an empty folder) and switch the API to it once restored.
import { cp, mkdir, readFile, readdir } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import pg from 'pg';
import { PGlite } from '@electric-sql/pglite';
import { ConfigError, loadConfig } from '../api/src/config';
import {
  MANIFEST_FILE,
  PGLITE_FILE,
  POSTGRES_FILE,
  describeUrl,
  mediaPath,
  runTool,
  type BackupManifest,
} from './lib/backup-layout';

const USER_TABLES = `SELECT count(*)::int AS n FROM information_schema.tables
  WHERE table_schema NOT IN ('pg_catalog', 'information_schema')`;

async function restorePostgres(url: string, backupDir: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ n: number }>(USER_TABLES);
    if ((rows[0]?.n ?? 0) > 0) throw new Error(`${describeUrl(url)} is not empty: refusing`);
  } finally {
    await client.end();
  }
  // One transaction: a failed restore leaves the target empty rather than half-filled.
  await runTool('psql', [
    '--no-psqlrc',
    '--quiet',
    '--set=ON_ERROR_STOP=1',
    '--single-transaction',
    `--file=${join(backupDir, POSTGRES_FILE)}`,
    `--dbname=${url}`,
  ]);
}

async function restorePglite(dir: string, backupDir: string): Promise<void> {
  if (dir.startsWith('memory://')) throw new Error('cannot restore into memory://');
  if (existsSync(dir) && (await readdir(dir)).length > 0)
    throw new Error(`${dir} is not empty: refusing`);
  const tar = await readFile(join(backupDir, PGLITE_FILE));
  await mkdir(dir, { recursive: true });
  const pglite = await PGlite.create(dir, { loadDataDir: new Blob([new Uint8Array(tar)]) });
  try {
    // Proves the restored cluster opens and answers before reporting success.
    await pglite.query(USER_TABLES);
  } finally {
    await pglite.close();
  }
}

async function main(): Promise<void> {
  const arg = process.argv[2];
  if (!arg) throw new Error('usage: npm run db:restore -- <backupDir>');
  const backupDir = resolve(arg);
  const manifest = JSON.parse(
    await readFile(join(backupDir, MANIFEST_FILE), 'utf8'),
  ) as BackupManifest;
  const config = loadConfig();
  const target = config.databaseUrl ? 'postgres' : 'pglite';
  if (manifest.kind !== target)
    throw new Error(
      `backup is ${manifest.kind}, target is ${target}: dump/restore across kinds is not supported`,
    );

  if (config.databaseUrl) await restorePostgres(config.databaseUrl, backupDir);
  else await restorePglite(config.pgliteDir, backupDir);
  // Content-addressed keys: merging into an existing media folder is safe.
  if (existsSync(mediaPath(backupDir)))
    await cp(mediaPath(backupDir), config.mediaDir, { recursive: true, force: false });
  console.log(
    `restored ${manifest.kind} backup of ${manifest.created} (${manifest.mediaFiles} media files) from ${backupDir}`,
  );
}

try {
  await main();
} catch (err) {
  console.error(err instanceof ConfigError || err instanceof Error ? err.message : err);
  process.exit(1);
}
