import { spawn, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb } from '../../src/db/create-db';
import type { Db } from '../../src/db/types';
import { mapConcurrent } from '../../src/lib/map-concurrent';
import { VARIANTS, variantKey, type Variant } from '../../src/media/media-keys';
import { createDiskMediaStore } from '../../src/media/media-store';
import { createMediaService } from '../../src/media/media-service';
import { REPO_ROOT } from '../../src/paths';
import { REAL_IMAGEBANK } from '../helpers/image-bank';
import { freshPostgresDatabase } from '../scale/scale-helpers';

/**
 * kill -9 while case creations are in flight. The API runs as a real child process (PGlite on
 * disk, or the DATABASE_URL server); each round fires case creations from several concurrent
 * clients, SIGKILLs the process mid-stream, then opens the database directly (it must open
 * cleanly: PGlite replays its WAL) and checks that nothing is half-created and that every case the
 * server acknowledged is there. At the end the same clientIds are sent again: one case each.
 *
 * Scope of the PGlite guarantee: its Emscripten NODEFS writes every page with fs.writeSync but has
 * no fsync (the call is a no-op), so a committed transaction is in the OS page cache when the
 * answer leaves: it survives the death of the process (this test), not a power cut or kernel crash.
 * Deployments that need the latter run on PostgreSQL (DATABASE_URL).
 */
const serverUrl = process.env.DATABASE_URL || undefined;
const backend = serverUrl ? 'PostgreSQL' : 'PGlite on disk';
const PASSWORD = 'kill-durability-password';
const ROUNDS = 3;
const CLIENTS = 6;

interface Sent {
  clientId: string;
  caseJson: string;
  photos: Buffer[];
  sha256s: string[];
  /** The server answered 201/200: the case must exist from then on, whatever happens. */
  acknowledged: boolean;
}

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.on('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => done(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

describe(`kill -9 during case creations (${backend})`, { timeout: 600_000 }, () => {
  let tmp: string;
  let databaseUrl = '';
  let dropDatabase: () => Promise<void> = async () => undefined;
  let bankPhotos: Buffer[] = [];
  let child: ChildProcess | null = null;
  let childLog = '';
  let port = 0;
  const sent = new Map<string, Sent>();

  beforeAll(async () => {
    tmp = await mkdtemp(join(tmpdir(), 'phytodiag-kill-'));
    if (serverUrl) {
      const db = await freshPostgresDatabase(serverUrl);
      databaseUrl = db.url;
      dropDatabase = db.drop;
    }
    const dir = join(REAL_IMAGEBANK, 'potato_late_blight');
    const files = (await readdir(dir)).filter((f) => f.endsWith('.jpg')).sort();
    bankPhotos = await Promise.all(files.slice(0, 3).map((f) => readFile(join(dir, f))));
    port = await freePort();
  });

  afterAll(async () => {
    child?.kill('SIGKILL');
    await dropDatabase();
    await rm(tmp, { recursive: true, force: true });
  });

  const base = () => `http://127.0.0.1:${port}`;

  async function startApi(): Promise<void> {
    childLog = '';
    // node with tsx as a loader, not the tsx CLI: the CLI runs the server in a grandchild that a
    // SIGKILL of the CLI would leave running, finishing its writes "after" the crash.
    const proc = spawn(process.execPath, ['--import', 'tsx', 'api/src/server.ts'], {
      cwd: REPO_ROOT,
      env: {
        ...process.env,
        NODE_ENV: 'test',
        HOST: '127.0.0.1',
        PORT: String(port),
        DATA_DIR: tmp,
        DATABASE_URL: databaseUrl,
        PGLITE_DIR: '',
        MODEL_DIR: join(tmp, 'model'),
        WEB_DIST_DIR: join(tmp, 'web'),
        LOG_LEVEL: 'warn',
        SEED_ON_START: 'false',
        TRAINING_WORKER: 'false',
        DEMO_PASSWORD: PASSWORD,
        RATE_LIMIT_MAX: '1000000',
        CASE_RATE_LIMIT_MAX: '1000000',
      },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    proc.stderr?.on('data', (c: Buffer) => (childLog = (childLog + c.toString()).slice(-4000)));
    child = proc;
    const deadline = Date.now() + 180_000;
    while (Date.now() < deadline) {
      if (proc.exitCode !== null) throw new Error(`API exited ${proc.exitCode}: ${childLog}`);
      try {
        if ((await fetch(`${base()}/api/health`)).ok) return;
      } catch {
        // not listening yet
      }
      await new Promise((r) => setTimeout(r, 200));
    }
    throw new Error(`API not ready: ${childLog}`);
  }

  async function killApi(): Promise<void> {
    const proc = child;
    if (!proc || proc.exitCode !== null || proc.signalCode !== null) return;
    const exited = new Promise((r) => proc.once('exit', r));
    proc.kill('SIGKILL');
    await exited;
    child = null;
  }

  async function login(): Promise<string> {
    const res = await fetch(`${base()}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'producteur@demo.local', password: PASSWORD }),
    });
    expect(res.status).toBe(200);
    const cookie = res.headers.getSetCookie().find((c) => c.startsWith('phytodiag_session='));
    if (!cookie) throw new Error('no session cookie');
    return cookie.split(';')[0] ?? '';
  }

  function newCase(): Sent {
    const clientId = randomUUID();
    const count = 1 + Math.floor(Math.random() * 3);
    // Distinct bytes per case (the duplicate-photo guard), still real JPEGs for sharp.
    const photos = bankPhotos.slice(0, count).map((p) => Buffer.concat([p, randomBytes(16)]));
    const s: Sent = {
      clientId,
      caseJson: JSON.stringify({
        clientId,
        crop: 'Pomme de terre',
        description: `kill -9 ${clientId.slice(0, 8)}`,
        regionCode: '03',
      }),
      photos,
      sha256s: photos.map(sha256),
      acknowledged: false,
    };
    sent.set(clientId, s);
    return s;
  }

  async function post(s: Sent, cookie: string): Promise<number> {
    const form = new FormData();
    form.append('case', s.caseJson);
    s.photos.forEach((p, i) =>
      form.append('photo', new Blob([new Uint8Array(p)], { type: 'image/jpeg' }), `p${i}.jpg`),
    );
    const res = await fetch(`${base()}/api/escalations`, {
      method: 'POST',
      headers: { cookie },
      body: form,
    });
    await res.arrayBuffer();
    if (res.status === 201 || res.status === 200) s.acknowledged = true;
    return res.status;
  }

  async function openDb(): Promise<Db> {
    return createDb({ databaseUrl: databaseUrl || undefined, pgliteDir: join(tmp, 'pglite') });
  }

  /** The invariants a crash must never break, checked on the database itself. */
  async function checkInvariants(db: Db): Promise<void> {
    const cases = await db.query<{ id: string; client_id: string; status: string }>(
      'SELECT id, client_id, status FROM escalations',
    );
    const photos = await db.query<{ escalation_id: string; position: number; sha256: string }>(
      'SELECT escalation_id, position, sha256 FROM escalation_photos ORDER BY escalation_id, position',
    );
    const history = await db.query<{
      escalation_id: string;
      from_status: string | null;
      to_status: string;
    }>(
      'SELECT escalation_id, from_status, to_status FROM escalation_status_history ORDER BY escalation_id, id',
    );
    const store = createDiskMediaStore(join(tmp, 'media'));
    const media = createMediaService(store);
    const clientIds = new Set<string>();
    for (const c of cases) {
      // One row per clientId (the unique constraint, and nothing created twice).
      expect(clientIds.has(c.client_id)).toBe(false);
      clientIds.add(c.client_id);
      const mine = photos.filter((p) => p.escalation_id === c.id);
      const s = sent.get(c.client_id);
      expect(s, `case ${c.client_id} was never sent`).toBeDefined();
      // Every photo row, in order, with the bytes that were sent; none missing.
      expect(mine.map((p) => p.position)).toEqual(mine.map((_, i) => i));
      expect(mine.map((p) => p.sha256)).toEqual(s?.sha256s);
      for (const p of mine) {
        // The full-size image was written before the case; thumbnail and icon derive from it.
        expect(await store.has(variantKey(p.sha256, 'full')), `full of ${p.sha256}`).toBe(true);
        for (const v of Object.keys(VARIANTS) as Variant[]) {
          const file = await media.open(p.sha256, v);
          expect(file, `${v} of ${p.sha256}`).not.toBeNull();
          file?.stream.destroy();
        }
      }
      const steps = history.filter((h) => h.escalation_id === c.id);
      expect(steps[0]).toMatchObject({ from_status: null, to_status: 'received' });
      expect(steps.at(-1)?.to_status).toBe(c.status);
    }
    // Every acknowledged creation survived the crash.
    for (const s of sent.values()) {
      if (s.acknowledged) expect(clientIds.has(s.clientId), s.clientId).toBe(true);
    }
  }

  it('nothing is half-created, acknowledged cases survive, resends make one case each', async () => {
    let killedInFlight = 0;
    for (let round = 0; round < ROUNDS; round++) {
      await startApi();
      const cookie = await login();
      let stop = false;
      let firstAck: () => void = () => undefined;
      const acked = new Promise<void>((r) => (firstAck = r));
      const statuses: (number | 'error')[] = [];
      // CLIENTS producers each sending case after case until the process dies under them.
      const clients = Array.from({ length: CLIENTS }, async () => {
        while (!stop) {
          const status = await post(newCase(), cookie).catch(() => 'error' as const);
          statuses.push(status);
          if (status === 'error') return;
          expect([200, 201]).toContain(status);
          firstAck();
        }
      });
      await Promise.race([acked, new Promise((r) => setTimeout(r, 60_000))]);
      // A random moment after the first acknowledged write: photos being processed, files being
      // written, transactions open or committing.
      await new Promise((r) => setTimeout(r, 50 + Math.random() * 900));
      await killApi();
      stop = true;
      await Promise.all(clients);
      killedInFlight += statuses.filter((s) => s === 'error').length;
      expect(statuses.filter((s) => s === 201).length, childLog).toBeGreaterThan(0);

      const db = await openDb();
      try {
        await checkInvariants(db);
      } finally {
        await db.close();
      }
    }
    // The kills did land while requests were being served.
    expect(killedInFlight).toBeGreaterThan(0);

    // After the crashes: the outbox resends every clientId (identical bytes): one case each.
    await startApi();
    const cookie = await login();
    const all = [...sent.values()];
    for (let pass = 0; pass < 2; pass++) {
      const statuses = await mapConcurrent(all, CLIENTS, (s) => post(s, cookie));
      // Second pass: everything exists already → 200, never a new case.
      if (pass === 1) expect(new Set(statuses)).toEqual(new Set([200]));
      else for (const st of statuses) expect([200, 201]).toContain(st);
    }
    // A clean stop this time, then the database as the next start would see it.
    await killApi();
    const db = await openDb();
    try {
      await checkInvariants(db);
      const n = await db.one<{ n: number; d: number }>(
        'SELECT COUNT(*)::int AS n, COUNT(DISTINCT client_id)::int AS d FROM escalations',
      );
      expect(n).toEqual({ n: all.length, d: all.length });
    } finally {
      await db.close();
    }
  });
});
