import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app';
import { loadConfig } from '../../src/config';
import { createDiskMediaStore, type MediaStore } from '../../src/media/media-store';
import { register, login } from '../helpers/http';
import { caseJson, createWorld, type World } from './world';

describe('a PGlite data directory survives a restart', () => {
  let tmp: string;
  beforeAll(async () => {
    tmp = await mkdtemp(join(tmpdir(), 'phytodiag-durable-'));
  });
  afterAll(() => rm(tmp, { recursive: true, force: true }));

  it('writes, closes, reopens on the same directory, reads the same data', async () => {
    const config = loadConfig({
      NODE_ENV: 'test',
      LOG_LEVEL: 'silent',
      DATA_DIR: tmp,
      // On disk, never DATABASE_URL: this is about the embedded database's files.
      PGLITE_DIR: join(tmp, 'pglite'),
      MODEL_DIR: join(tmp, 'model'),
      WEB_DIST_DIR: join(tmp, 'web'),
      SEED_ON_START: 'false',
    });
    const first = await buildApp(config);
    expect(first.db.kind).toBe('pglite');
    const user = await register(first, 'durable@example.com');
    const cookie = await login(first, 'durable@example.com');
    await first.close();

    const second = await buildApp(config);
    try {
      const row = await second.db.one<{ id: string }>('SELECT id FROM users WHERE email = $1', [
        'durable@example.com',
      ]);
      expect(row.id).toBe(user.id);
      // The session written before the restart is still valid.
      const me = await second.inject({ url: '/api/auth/me', headers: { cookie } });
      expect(me.statusCode).toBe(200);
      expect((me.json() as { id: string }).id).toBe(user.id);
    } finally {
      await second.close();
    }
  });
});

describe('a case creation that fails midway leaves nothing half-created', () => {
  let w: World;
  let failOnPut: number | null = null;
  let puts = 0;

  beforeAll(async () => {
    const dir = await mkdtemp(join(tmpdir(), 'phytodiag-failing-store-'));
    const disk = createDiskMediaStore(dir);
    // The real disk store, made to throw on the N-th write (full disk, S3 outage...).
    const failing: MediaStore = {
      ...disk,
      async put(key, data) {
        puts += 1;
        if (failOnPut !== null && puts >= failOnPut) throw new Error('injected: disk full');
        return disk.put(key, data);
      },
    };
    w = await createWorld({}, { mediaStore: failing });
  });
  afterAll(() => w.t.close());

  const TABLES = ['escalations', 'escalation_photos', 'escalation_status_history'];
  const counts = async () =>
    Promise.all(
      TABLES.map(
        async (t) => (await w.t.app.db.one<{ n: number }>(`SELECT COUNT(*)::int AS n FROM ${t}`)).n,
      ),
    );

  it('the store throwing on the 3rd photo → 500, no case, no photo rows, no history; a retry succeeds', async () => {
    const json = caseJson();
    const parts = [0, 1, 2, 3].map((i) => ({
      name: 'photo',
      value: Buffer.concat([w.photo, Buffer.from(`distinct-${i}-${json}`)]),
      filename: `p${i}.jpg`,
    }));
    const before = await counts();
    // An upload writes the full-size image only (smaller variants are derived on first
    // request): the 3rd write belongs to the 3rd photo.
    puts = 0;
    failOnPut = 3;
    const res = await w.postCase(w.cookies.producer, [...parts, { name: 'case', value: json }]);
    expect(res.statusCode).toBe(500);
    expect((res.json() as { error: { code: string } }).error.code).toBe('INTERNAL');
    expect(await counts()).toEqual(before);

    // The same submission (same clientId) from the outbox, once the store is back: a NEW case.
    failOnPut = null;
    const retry = await w.postCase(w.cookies.producer, [...parts, { name: 'case', value: json }]);
    expect(retry.statusCode).toBe(201);
    const [cases, photos, history] = await counts();
    expect([cases, photos, history]).toEqual([
      (before[0] ?? 0) + 1,
      (before[1] ?? 0) + 4,
      (before[2] ?? 0) + 1,
    ]);
  });
});
