import { randomUUID } from 'node:crypto';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, type App } from '../../src/app';
import { loadConfig } from '../../src/config';
import type { Escalation } from '../../src/contract/escalation';
import { MIGRATIONS_DIR } from '../../src/db/migrate';
import { seedDemoUsers } from '../../src/seed/seed-demo-users';
import { seedLibrary } from '../../src/seed/seed-library';
import { caseJson } from '../helpers/case-json';
import { jpeg, multipart } from '../helpers/http';
import { buildImageBank } from '../helpers/image-bank';
import { freshPostgresDatabase } from './scale-helpers';

const serverUrl = process.env.DATABASE_URL;
const PASSWORD = 'demo-password-for-tests';
// This suite's own ports (18170–18179 belong to the scale/bench work).
const PORTS = [18170, 18171] as const;

/**
 * The scale-out path: two API processes' worth of state (two buildApp instances, each with its
 * own pool, listening on its own port) on ONE PostgreSQL database and ONE media directory — the
 * local-disk MediaStore standing for a shared volume or an S3 bucket. Anything kept in process
 * memory instead of the database (sessions, case state, migrations) would break one of these.
 */
describe.skipIf(!serverUrl)('two API instances on one PostgreSQL (needs DATABASE_URL)', () => {
  let tmp: string;
  let drop: () => Promise<void> = async () => undefined;
  const apps: App[] = [];
  const base = (i: 0 | 1) => `http://127.0.0.1:${PORTS[i]}`;

  beforeAll(async () => {
    tmp = await mkdtemp(join(tmpdir(), 'phytodiag-two-'));
    const db = await freshPostgresDatabase(serverUrl ?? '');
    drop = db.drop;
    const config = loadConfig({
      NODE_ENV: 'test',
      LOG_LEVEL: 'silent',
      DATABASE_URL: db.url,
      DATA_DIR: tmp, // shared: both instances store and serve media from tmp/media
      MODEL_DIR: join(tmp, 'model'),
      WEB_DIST_DIR: join(tmp, 'web'),
      SEED_ON_START: 'false',
      DEMO_PASSWORD: PASSWORD,
    });
    // Both start at once on an empty database: each runs the migrator; the advisory lock makes
    // one wait for the other instead of both creating the same tables.
    apps.push(...(await Promise.all([buildApp(config), buildApp(config)])));
    const [a] = apps as [App, App];
    await buildImageBank(join(tmp, 'bank'), ['potato_late_blight'], 1);
    await seedLibrary(a.db, a.media, {
      imagebankDir: join(tmp, 'bank'),
      factSheetsDir: join(tmp, 'none'),
    });
    await seedDemoUsers(a.services.auth, a.repos, PASSWORD);
    await Promise.all(apps.map((app, i) => app.listen({ port: PORTS[i], host: '127.0.0.1' })));
  });

  afterAll(async () => {
    for (const app of apps) await app.close();
    await drop();
    await rm(tmp, { recursive: true, force: true });
  });

  const login = async (i: 0 | 1, email: string) => {
    const res = await fetch(`${base(i)}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, password: PASSWORD }),
    });
    expect(res.status).toBe(200);
    const cookie = res.headers.getSetCookie().find((c) => c.startsWith('phytodiag_session='));
    if (!cookie) throw new Error('no session cookie');
    return cookie.split(';')[0] ?? '';
  };
  const call = (i: 0 | 1, method: string, path: string, cookie: string, body?: unknown) =>
    fetch(`${base(i)}${path}`, {
      method,
      headers: { cookie, ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });

  it('concurrent start-up applied every migration exactly once', async () => {
    const files = (await readdir(MIGRATIONS_DIR)).filter((f) => f.endsWith('.sql')).sort();
    const rows = await apps[0]!.db.query<{ name: string }>(
      'SELECT name FROM schema_migrations ORDER BY name',
    );
    expect(rows.map((r) => r.name)).toEqual(files);
  });

  it('a case created on A is answered on B; the producer reads it on B with the session from A', async () => {
    const producer = await login(0, 'producteur@demo.local');
    const specialist = await login(1, 'specialiste@demo.local');

    const photo = Buffer.concat([await jpeg(300, 200), Buffer.from(randomUUID())]);
    const form = await multipart([
      { name: 'photo', value: photo, filename: 'p.jpg' },
      { name: 'case', value: caseJson() },
    ]);
    const created = await fetch(`${base(0)}/api/escalations`, {
      method: 'POST',
      headers: { ...form.headers, cookie: producer },
      body: new Uint8Array(form.payload),
    });
    expect(created.status).toBe(201);
    const escalation = (await created.json()) as Escalation;

    const queue = (await (await call(1, 'GET', '/api/escalations', specialist)).json()) as {
      items: { id: string }[];
    };
    expect(queue.items.map((e) => e.id)).toContain(escalation.id);
    expect(
      (await call(1, 'POST', `/api/escalations/${escalation.id}/claim`, specialist)).status,
    ).toBe(200);
    const answer = await call(1, 'POST', `/api/escalations/${escalation.id}/answer`, specialist, {
      diagnosisSlug: 'potato_late_blight',
      message: 'Mildiou confirmé (instance B).',
      recommendations: 'Traitez.',
    });
    expect(answer.status).toBe(200);

    const seen = await call(1, 'GET', `/api/escalations/${escalation.id}`, producer);
    expect(seen.status).toBe(200);
    const body = (await seen.json()) as Escalation;
    expect(body.status).toBe('answered');
    expect(body.answer?.message).toBe('Mildiou confirmé (instance B).');

    // The photo stored by A is served by B from the shared media store, byte for byte.
    const fromA = await call(0, 'GET', body.photos[0]!.url, producer);
    const fromB = await call(1, 'GET', body.photos[0]!.url, producer);
    expect([fromA.status, fromB.status]).toEqual([200, 200]);
    expect(Buffer.from(await fromB.arrayBuffer())).toEqual(Buffer.from(await fromA.arrayBuffer()));
  });

  it('a logout on B ends the session on A too', async () => {
    const cookie = await login(0, 'producteur@demo.local');
    expect((await call(1, 'GET', '/api/auth/me', cookie)).status).toBe(200);
    expect((await call(1, 'POST', '/api/auth/logout', cookie)).status).toBeLessThan(300);
    expect((await call(0, 'GET', '/api/auth/me', cookie)).status).toBe(401);
  });
});
