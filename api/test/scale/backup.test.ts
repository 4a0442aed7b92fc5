import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app';
import { loadConfig } from '../../src/config';
import { createDb } from '../../src/db/create-db';
import { createWorld } from '../hardening/world';
import { freshPostgresDatabase, hashTree, runScript, snapshotTables } from './scale-helpers';

const serverUrl = process.env.DATABASE_URL;
const BASE_ENV = {
  NODE_ENV: 'test',
  LOG_LEVEL: 'silent',
  SEED_ON_START: 'false',
};

/**
 * scripts/backup.ts then scripts/restore.ts into a fresh target, run as the operator would
 * (child processes reading the environment), then the restored target must hold exactly the
 * same rows in every table and the same media files, and serve the case photo to the session
 * that existed before the backup.
 */
async function backupAndRestore(kind: 'pglite' | 'postgres') {
  const tmp = await mkdtemp(join(tmpdir(), `phytodiag-backup-${kind}-`));
  const cleanups: (() => Promise<void>)[] = [() => rm(tmp, { recursive: true, force: true })];
  try {
    const src = join(tmp, 'src');
    const srcEnv: Record<string, string> =
      kind === 'pglite'
        ? { DATA_DIR: src, PGLITE_DIR: join(src, 'pglite'), DATABASE_URL: '' }
        : { DATA_DIR: src };
    const w = await createWorld(srcEnv);
    cleanups.unshift(() => w.t.close());
    const escalation = await w.createCase('producer', 3);
    const cookie = w.cookies.producer ?? '';
    const photoUrl = `/api/escalations/${escalation.id}/photos/2`;
    const photo = await w.t.app.inject({ url: photoUrl, headers: { cookie } });
    expect(photo.statusCode).toBe(200);
    const sourceUrl = w.t.config.databaseUrl;
    expect(Boolean(sourceUrl)).toBe(kind === 'postgres');

    // After the last request: sessions and notifications are part of what must come back.
    const tables = await snapshotTables(w.t.app.db);
    const media = await hashTree(w.t.config.mediaDir);
    expect(tables['public.escalation_photos']).toHaveLength(3);
    expect(tables['public.sessions']?.length).toBeGreaterThan(0);
    // 3 case photos + the library images, each as several variants.
    expect(Object.keys(media).length).toBeGreaterThanOrEqual(9);
    // PGlite is single-process: the API must be stopped before its directory is dumped.
    await w.t.app.close();

    const backupDir = join(tmp, 'backup');
    const backup = await runScript('backup', [backupDir], {
      ...BASE_ENV,
      ...srcEnv,
      DATABASE_URL: sourceUrl ?? '',
    });
    expect(backup.stderr).toBe('');
    expect(backup.code).toBe(0);

    const dst = join(tmp, 'dst');
    let targetUrl = '';
    if (kind === 'postgres') {
      const target = await freshPostgresDatabase(serverUrl ?? '');
      cleanups.unshift(target.drop);
      targetUrl = target.url;
    }
    const dstEnv = { ...BASE_ENV, DATA_DIR: dst, PGLITE_DIR: join(dst, 'pglite') };
    const restore = await runScript('restore', [backupDir], {
      ...dstEnv,
      DATABASE_URL: targetUrl,
    });
    expect(restore.stderr).toBe('');
    expect(restore.code).toBe(0);

    const restored = await createDb({
      databaseUrl: targetUrl || undefined,
      ...dstEnv,
      pgliteDir: join(dst, 'pglite'),
    });
    try {
      expect(restored.kind).toBe(kind);
      expect(await snapshotTables(restored)).toEqual(tables);
    } finally {
      await restored.close();
    }
    expect(await hashTree(join(dst, 'media'))).toEqual(media);

    // The restored instance works: migrations already recorded, the old session still valid.
    const app = await buildApp(
      loadConfig({ ...dstEnv, ...(targetUrl ? { DATABASE_URL: targetUrl } : {}) }),
    );
    try {
      const again = await app.inject({ url: photoUrl, headers: { cookie } });
      expect(again.statusCode).toBe(200);
      expect(again.rawPayload.equals(photo.rawPayload)).toBe(true);
    } finally {
      await app.close();
    }

    // A second restore onto the now non-empty target is refused and changes nothing.
    const twice = await runScript('restore', [backupDir], { ...dstEnv, DATABASE_URL: targetUrl });
    expect(twice.code).not.toBe(0);
    expect(twice.stderr).toContain('not empty');
  } finally {
    for (const cleanup of cleanups) await cleanup().catch(() => undefined);
  }
}

describe('backup and restore (scripts/backup.ts, scripts/restore.ts)', () => {
  it('PGlite: dumpDataDir + media copy restore to identical tables and files', async () => {
    await backupAndRestore('pglite');
  });

  it.skipIf(!serverUrl)(
    'PostgreSQL: pg_dump + psql into a fresh database restore identical tables and files (needs DATABASE_URL)',
    async () => {
      await backupAndRestore('postgres');
    },
  );
});
