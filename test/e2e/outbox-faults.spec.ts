import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { expect, test, request as playwrightRequest, type Page } from '@playwright/test';
import type { EscalationList } from '@phytodiag/api/contract';
import {
  catalog,
  IMAGEBANK,
  register,
  ROOT,
  signIn,
  startApp,
  waitForServiceWorker,
} from './helpers';

/**
 * The outbox under faults, against a real API process that this spec starts, kills and restarts
 * itself (not the shared webServer of playwright.config.ts): 100 cases drafted offline through the
 * UI, each with its own bank photo; then the network flaps while the outbox sends, and the API is
 * killed with SIGKILL mid-upload and restarted on the same data; then the network is stable until
 * the outbox is empty. Exactly 100 cases must exist for that user, each once, each with its photo.
 */
const CASES = 100;
// E2E_PORT is the shared webServer's; this spec's own API listens on the next port.
const PORT = Number(process.env.E2E_PORT ?? 18090) + 1;
const BASE = `http://127.0.0.1:${PORT}`;

test.use({ baseURL: BASE });
test.setTimeout(20 * 60_000);

let api: ChildProcess | null = null;
let apiLog = '';
// Made in beforeAll: Playwright also loads this file in its runner process, only to list the tests.
let dataDir = '';
test.beforeAll(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'phytodiag-faults-'));
  // A private copy of the built PWA: a rebuild of web/dist during this long test (another
  // package's build, a developer's) must not swap the app's assets under the open page.
  cpSync(join(ROOT, 'web', 'dist'), join(dataDir, 'web'), { recursive: true });
});

async function startApi(): Promise<void> {
  apiLog = '';
  // node with tsx as a loader (not the tsx CLI, whose grandchild would survive a SIGKILL).
  const child = spawn(process.execPath, ['--import', 'tsx', 'api/src/server.ts'], {
    cwd: ROOT,
    env: {
      ...process.env,
      NODE_ENV: 'test',
      HOST: '127.0.0.1',
      PORT: String(PORT),
      DATA_DIR: dataDir,
      DATABASE_URL: '',
      PGLITE_DIR: '',
      WEB_DIST_DIR: join(dataDir, 'web'),
      TRAINING_WORKER: 'false',
      SEED_MAX_IMAGES_PER_CLASS: '1',
      LOG_LEVEL: 'warn',
      // One producer sends 100 cases in a few minutes from one address: not what these guard.
      CASE_RATE_LIMIT_MAX: '1000',
      RATE_LIMIT_MAX: '100000',
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  child.stderr?.on('data', (c: Buffer) => (apiLog = (apiLog + c.toString()).slice(-4000)));
  api = child;
  const deadline = Date.now() + 240_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`API exited ${child.exitCode}: ${apiLog}`);
    try {
      if ((await fetch(`${BASE}/api/health`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`API not ready on ${BASE}: ${apiLog}`);
}

async function stopApi(signal: 'SIGKILL' | 'SIGTERM'): Promise<void> {
  const child = api;
  api = null;
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill(signal);
  await exited;
}

test.afterAll(async () => {
  await stopApi('SIGKILL');
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

/** 100 distinct real photos, rotating over the classes of the bank. */
function bankPhotos(n: number): string[] {
  const perClass = catalog.classes.map((c) =>
    readdirSync(join(IMAGEBANK, c.slug))
      .filter((f) => f.endsWith('.jpg'))
      .sort()
      .map((f) => join(IMAGEBANK, c.slug, f)),
  );
  const out: string[] = [];
  for (let i = 0; out.length < n; i++) {
    const files = perClass[i % perClass.length] ?? [];
    const file = files[Math.floor(i / perClass.length)];
    if (file) out.push(file);
  }
  return out;
}

interface OutboxSnapshot {
  states: Record<string, number>;
  /** clientId → sha256 of each photo still held on the device. */
  photos: Record<string, string[]>;
  myCases: number;
}

/** The app's own IndexedDB, read as it is (no app code involved). */
function readOutbox(page: Page, withPhotos = false): Promise<OutboxSnapshot> {
  return page.evaluate(async (hash) => {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const req = indexedDB.open('phytodiag');
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => reject(req.error);
    });
    const all = <T>(store: string) =>
      new Promise<T[]>((resolve, reject) => {
        const req = db.transaction(store).objectStore(store).getAll();
        req.onsuccess = () => resolve(req.result as T[]);
        req.onerror = () => reject(req.error);
      });
    const rows = await all<{ clientId: string; state: string; photos: Blob[] }>('outbox');
    const myCases = (await all<unknown>('myCases')).length;
    db.close();
    const states: Record<string, number> = {};
    const photos: Record<string, string[]> = {};
    for (const r of rows) {
      states[r.state] = (states[r.state] ?? 0) + 1;
      if (!hash) continue;
      photos[r.clientId] = await Promise.all(
        r.photos.map(async (b) =>
          [...new Uint8Array(await crypto.subtle.digest('SHA-256', await b.arrayBuffer()))]
            .map((x) => x.toString(16).padStart(2, '0'))
            .join(''),
        ),
      );
    }
    return { states, photos, myCases };
  }, withPhotos);
}

test('100 cases drafted offline reach the API exactly once through network flaps and a kill -9', async ({
  page,
  context,
  browser,
}) => {
  const pageErrors: string[] = [];
  page.on('pageerror', (err) => pageErrors.push(err.message));
  await startApi();
  const email = `faults-${Date.now()}@example.org`;
  const password = 'phytodiag-faults-pass';
  await startApp(page, 'producer');
  await waitForServiceWorker(page);
  await register(page, email, password);

  // 1. Offline: 100 cases through the escalation form, each with its own photo.
  await context.setOffline(true);
  const files = bankPhotos(CASES);
  const drafted: string[] = [];
  const draftStart = Date.now();
  for (const [i, file] of files.entries()) {
    const description = `Panne réseau ${i + 1} — ${file.split('/').slice(-2).join('/')}`;
    await page.goto('/#/escalate');
    await page.getByTestId('photo-input').setInputFiles(file);
    await expect(page.getByRole('img', { name: 'Photo 1' })).toBeVisible();
    await page.getByLabel('Culture').fill('Maïs');
    await page.getByLabel('Ce que vous observez').fill(description);
    await page.getByTestId('submit-case').click();
    await expect(page.getByRole('heading', { level: 1, name: 'Mes demandes' })).toBeVisible();
    drafted.push(description);
  }
  const draftSeconds = Math.round((Date.now() - draftStart) / 1000);
  const before = await readOutbox(page, true);
  expect(pageErrors).toEqual([]);
  expect(before.states).toEqual({ queued: CASES });
  const expectedPhotos = before.photos;
  expect(Object.keys(expectedPhotos)).toHaveLength(CASES);
  // Each case holds exactly its own photo (the bytes of the file the user picked, or the app's
  // re-encoding of it: whatever the device holds is what the server must end up with).
  const hashes = Object.values(expectedPhotos).flat();
  expect(hashes).toHaveLength(CASES);
  expect(new Set(hashes).size).toBe(CASES);
  const fileHashes = new Set(
    files.map((f) => createHash('sha256').update(readFileSync(f)).digest('hex')),
  );
  const sameBytes = hashes.filter((h) => fileHashes.has(h)).length;

  // 2. Flapping network while the outbox sends: offline/online every 200–500 ms.
  const sendStart = Date.now();
  let flapping = true;
  let flaps = 0;
  const flapper = (async () => {
    while (flapping) {
      await context.setOffline(false);
      await page.waitForTimeout(200 + Math.random() * 300);
      if (!flapping) break;
      await context.setOffline(true);
      flaps += 1;
      await page.waitForTimeout(200 + Math.random() * 300);
    }
    await context.setOffline(false);
  })();
  const sent = async () => (await readOutbox(page)).states.sent ?? 0;

  // 3. Mid-upload (some cases delivered, most not), the API dies without warning...
  await expect.poll(sent, { timeout: 240_000, intervals: [250] }).toBeGreaterThanOrEqual(10);
  const sentAtKill = await sent();
  await stopApi('SIGKILL');
  // ...and comes back on the same data while the network keeps flapping.
  await startApi();
  const flapsAtRestart = flaps;
  await expect
    .poll(() => flaps - flapsAtRestart, { timeout: 60_000, intervals: [250] })
    .toBeGreaterThanOrEqual(5);
  flapping = false;
  await flapper;

  // 4. Stable network: the outbox empties by itself (no button pressed, no reload).
  await expect
    .poll(async () => (await readOutbox(page)).states, { timeout: 300_000, intervals: [500] })
    .toEqual({ sent: CASES });
  const sendSeconds = Math.round((Date.now() - sendStart) / 1000);
  await page.goto('/#/cases');
  await expect(page.getByTestId('my-cases').getByRole('listitem')).toHaveCount(CASES, {
    timeout: 60_000,
  });
  await expect(page.getByTestId('outbox-list').getByRole('listitem')).toHaveCount(0);
  for (const description of [drafted[0], drafted[CASES - 1]]) {
    await expect(page.getByTestId('my-cases').getByText(description ?? '')).toBeVisible();
  }
  // Another device of the same person: the server lists the newest 50, the older ones come on
  // request, then there is nothing more to load.
  const other = await browser.newContext();
  const device2 = await other.newPage();
  await startApp(device2, 'producer');
  await signIn(device2, email, password);
  const mine = device2.getByTestId('my-cases').getByRole('listitem');
  await expect(mine).toHaveCount(50);
  const older = device2.getByRole('button', { name: 'Afficher les demandes plus anciennes' });
  await older.click();
  await expect(mine).toHaveCount(CASES);
  await expect(older).toBeHidden();
  await other.close();

  // 5. The API's view: exactly 100 cases for this user, one per clientId, one photo each.
  const client = await playwrightRequest.newContext({ baseURL: BASE });
  expect((await client.post('/api/auth/login', { data: { email, password } })).ok()).toBe(true);
  const newest = (await (await client.get('/api/escalations')).json()) as EscalationList;
  expect(newest.items).toHaveLength(50);
  expect(newest.nextCursor).toBeTruthy();
  const list = (await (await client.get('/api/escalations?limit=200')).json()) as EscalationList;
  await client.dispose();
  expect(list.items).toHaveLength(CASES);
  expect(new Set(list.items.map((e) => e.clientId))).toEqual(new Set(Object.keys(expectedPhotos)));
  expect(list.items.every((e) => e.photos.length === 1)).toBe(true);
  expect(new Set(list.items.map((e) => e.description))).toEqual(new Set(drafted));

  // 6. The database itself (API stopped): no duplicate, every photo row with the drafted bytes.
  await stopApi('SIGTERM');
  const db = await PGlite.create(join(dataDir, 'pglite'));
  try {
    const rows = (
      await db.query<{ client_id: string; sha256s: string[] }>(
        `SELECT e.client_id, array_agg(p.sha256 ORDER BY p.position) AS sha256s
         FROM escalations e JOIN users u ON u.id = e.user_id
         LEFT JOIN escalation_photos p ON p.escalation_id = e.id
         WHERE u.email = $1 GROUP BY e.id, e.client_id`,
        [email],
      )
    ).rows;
    expect(rows).toHaveLength(CASES);
    expect(new Set(rows.map((r) => r.client_id)).size).toBe(CASES);
    expect(Object.fromEntries(rows.map((r) => [r.client_id, r.sha256s]))).toEqual(expectedPhotos);
  } finally {
    await db.close();
  }
  console.log(
    JSON.stringify({
      cases: CASES,
      photosWithFileBytes: sameBytes,
      sentAtKill,
      flaps,
      draftSeconds,
      sendSeconds,
    }),
  );
});
