// bench:web — headless Chromium against the built PWA served by the API (like production).
/* global window, indexedDB -- used inside page.evaluate() callbacks, which run in the browser */
// Usage: npm run -s bench -w @phytodiag/web -- [--json]   (build web/dist first)
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { chromium } from 'playwright';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const dist = join(root, 'web', 'dist');
const port = Number(process.env.BENCH_PORT ?? 18093);
const base = `http://127.0.0.1:${port}`;
const json = process.argv.includes('--json');
const photo = join(root, '..', 'shared', 'data', 'imagebank', 'corn_common_rust', '001.jpg');
const log = (...a) => !json && console.error(...a);

function initialJsGzip() {
  const html = readFileSync(join(dist, 'index.html'), 'utf8');
  const refs = [...html.matchAll(/(?:src|href)="(\/assets\/[^"]+\.js)"/g)].map((m) => m[1]);
  return refs.reduce((s, r) => s + gzipSync(readFileSync(join(dist, r))).length, 0);
}
function workerJsGzip() {
  const f = readdirSync(join(dist, 'assets')).find((n) => /^worker-.*\.js$/.test(n));
  return f ? gzipSync(readFileSync(join(dist, 'assets', f))).length : null;
}
const pct = (xs, p) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))];

// Own process group, so the tsx wrapper AND the server it starts are stopped together.
const api = spawn(join(root, 'node_modules', '.bin', 'tsx'), ['api/src/server.ts'], {
  detached: true,
  cwd: root,
  env: {
    ...process.env,
    PORT: String(port),
    HOST: '127.0.0.1',
    DATA_DIR: mkdtempSync(join(tmpdir(), 'phyto-bench-')),
    SEED_MAX_IMAGES_PER_CLASS: '6',
    NODE_ENV: 'test',
  },
  stdio: 'ignore',
});
try {
  for (let i = 0; ; i++) {
    try {
      if ((await fetch(`${base}/api/health`)).ok) break;
    } catch {
      /* not up yet */
    }
    if (i > 480) throw new Error('API did not start');
    await new Promise((r) => setTimeout(r, 500));
  }
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  const context = await browser.newContext({ viewport: { width: 412, height: 915 } });
  const page = await context.newPage();
  await page.goto(base + '/');
  await page.getByTestId('profile-producer').click();
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
  });
  const cold = await page.evaluate(() => window.phytodiagDebug.loadModel());
  log('model cold', cold);
  await page.reload();
  const cached = await page.evaluate(() => window.phytodiagDebug.loadModel());
  log('model cached', cached);
  const bytes = [...readFileSync(photo)];
  const times = await page.evaluate(async (data) => {
    const blob = new Blob([new Uint8Array(data)], { type: 'image/jpeg' });
    const ctx = { crop: null, regionCode: null, month: 7, priorsEnabled: true };
    const out = [];
    for (let i = 0; i < 23; i++) {
      const t0 = performance.now();
      await window.phytodiagDebug.classify([blob], ctx);
      if (i >= 3) out.push(performance.now() - t0);
    }
    return out;
  }, bytes);

  // Library download (text + 320 px thumbnails) from Settings.
  await page.goto(base + '/#/settings');
  const t0 = Date.now();
  await page.getByTestId('download-library').click();
  await page.getByText(/Bibliothèque téléchargée/).waitFor({ timeout: 120_000 });
  const libraryMs = Date.now() - t0;
  const libraryBytes = await page.evaluate(
    () =>
      new Promise((resolve) => {
        const req = indexedDB.open('phytodiag');
        req.onsuccess = () => {
          const all = req.result.transaction('libraryImages').objectStore('libraryImages').getAll();
          all.onsuccess = () => resolve(all.result.reduce((s, r) => s + r.bytes, 0));
        };
      }),
  );

  // Offline repeat visit: time until the Home heading is on screen.
  await context.setOffline(true);
  const t1 = Date.now();
  await page.goto(base + '/');
  await page.getByRole('heading', { level: 1 }).waitFor();
  const offlineTti = Date.now() - t1;
  await browser.close();

  const result = {
    initialJsGzipBytes: initialJsGzip(),
    workerJsGzipBytes: workerJsGzip(),
    backend: cached.backend,
    modelVersion: cached.version,
    modelLoadColdMs: cold.loadMs,
    modelLoadCachedMs: cached.loadMs,
    photoToResultMs: {
      p50: Math.round(pct(times, 50)),
      p95: Math.round(pct(times, 95)),
      n: times.length,
    },
    offlineRepeatVisitMs: offlineTti,
    libraryDownload: { ms: libraryMs, imageBytes: libraryBytes },
  };
  console.log(json ? JSON.stringify(result) : JSON.stringify(result, null, 2));
} finally {
  process.kill(-api.pid, 'SIGTERM');
}
