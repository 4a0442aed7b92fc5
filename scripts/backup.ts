// `npm run db:backup -- [outDir]`: a consistent copy of the database and the stored media.
//   PostgreSQL (DATABASE_URL): pg_dump, plain SQL (restorable on any PostgreSQL ≥ the source).
//   PGlite (default): PGlite's dumpDataDir() of DATA_DIR/pglite. PGlite is single-process: stop
//   the API first (the script opens the data directory itself).
// Media files are content-addressed and never rewritten, so copying them after the database dump
// can only add files no row references yet, never lose one a row needs.
// Default outDir: var/backups/<timestamp>. Restore with scripts/restore.ts.
import { cp, mkdir, readdir, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
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

async function countFiles(dir: string): Promise<number> {
  if (!existsSync(dir)) return 0;
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile()).length;
}

async function main(): Promise<void> {
  const config = loadConfig();
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const outDir = resolve(process.argv[2] ?? join(config.dataDir, 'backups', stamp));
  await mkdir(outDir, { recursive: true });
  if ((await readdir(outDir)).length > 0) throw new Error(`${outDir} is not empty`);

  let database: string;
  if (config.databaseUrl) {
    database = describeUrl(config.databaseUrl);
    await runTool('pg_dump', [
      '--no-owner',
      '--no-privileges',
      '--format=plain',
      `--file=${join(outDir, POSTGRES_FILE)}`,
      `--dbname=${config.databaseUrl}`,
    ]);
  } else {
    if (config.pgliteDir.startsWith('memory://')) throw new Error('nothing to back up: memory://');
    if (!existsSync(config.pgliteDir)) throw new Error(`no PGlite data at ${config.pgliteDir}`);
    database = config.pgliteDir;
    const pg = await PGlite.create(config.pgliteDir);
    try {
      const dump = await pg.dumpDataDir('gzip');
      await writeFile(join(outDir, PGLITE_FILE), Buffer.from(await dump.arrayBuffer()));
    } finally {
      await pg.close();
    }
  }

  if (existsSync(config.mediaDir))
    await cp(config.mediaDir, mediaPath(outDir), { recursive: true });
  const manifest: BackupManifest = {
    format: 1,
    kind: config.databaseUrl ? 'postgres' : 'pglite',
    created: new Date().toISOString(),
    database,
    mediaFiles: await countFiles(mediaPath(outDir)),
  };
  await writeFile(join(outDir, MANIFEST_FILE), `${JSON.stringify(manifest, null, 2)}\n`);
  console.log(
    `backup of ${manifest.kind} ${database} (${manifest.mediaFiles} media files) → ${outDir}`,
  );
}

try {
  await main();
} catch (err) {
  console.error(err instanceof ConfigError || err instanceof Error ? err.message : err);
  process.exit(1);
}
