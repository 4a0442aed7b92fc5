// bench:web — headless Chromium against the built PWA served by the API (like production).
/* global window, indexedDB, tf, createImageBitmap -- used inside page.evaluate() callbacks, which run in the browser */
// Usage: npm run -s bench -w @phytodiag/web -- [--json] [--no-lighthouse]   (build web/dist first)
// Measures, in the same run and on the same model: the app's pipeline (worker, WASM threads when
// cross-origin isolated), the same worker forced to one thread (CSP without blob:, as before the
// threads fix), and a naive pipeline (tfjs on the main thread, no worker, no threads), then
// Lighthouse.
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
const ITERATIONS = 20;
const WARMUP = 3;
const CHROMIUM = process.env.CHROMIUM_PATH ?? process.env.CHROME_PATH ?? '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

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
const summary = (times) => ({
  p50: Math.round(pct(times, 50)),
  p95: Math.round(pct(times, 95)),
  n: times.length,
});

/**
 * One photo → result through the app's worker (window.phytodiagDebug: the code the UI runs),
 * timed inside the page so the Playwright round trip is not counted.
 */
function workerOnce(page) {
  return page.evaluate(async () => {
    const ctx = { crop: null, regionCode: null, month: 7, priorsEnabled: true, factors: null };
    const t0 = performance.now();
    const r = await window.phytodiagDebug.classify([window.benchBlob], ctx);
    return { ms: performance.now() - t0, top: r.result.ranked[0].slug };
  });
}

async function putPhoto(page, bytes) {
  await page.evaluate((data) => {
    window.benchBlob = new Blob([new Uint8Array(data)], { type: 'image/jpeg' });
  }, bytes);
}

/** The app as served: worker, WASM threads when cross-origin isolated (backend label says). */
async function appPipeline(browser, bytes) {
  const context = await browser.newContext({ serviceWorkers: 'block' });
  const page = await context.newPage();
  await page.goto(base + '/');
  await page.getByTestId('profile-producer').click();
  const info = await page.evaluate(() => window.phytodiagDebug.loadModel());
  await putPhoto(page, bytes);
  return { name: 'worker', backend: info.backend, once: () => workerOnce(page), context };
}

/** The same worker with the CSP as it was before script-src blob: (the threads probe fails). */
async function singleThreadPipeline(browser, bytes) {
  const context = await browser.newContext({ serviceWorkers: 'block' });
  await context.route('**/*', async (route) => {
    const response = await route.fetch();
    const headers = response.headers();
    const csp = headers['content-security-policy'];
    if (csp) headers['content-security-policy'] = csp.replace(/(script-src[^;]*?) blob:/, '$1');
    await route.fulfill({ response, headers });
  });
  const page = await context.newPage();
  await page.goto(base + '/');
  await page.getByTestId('profile-producer').click();
  const info = await page.evaluate(() => window.phytodiagDebug.loadModel());
  await putPhoto(page, bytes);
  return { name: 'single', backend: info.backend, once: () => workerOnce(page), context };
}

/**
 * The naive pipeline: tfjs UMD bundles on the main thread of a blank same-origin page, WASM (SIMD)
 * without threads, tf.browser.fromPixels preprocessing, same model files from the API. Also
 * records the longest main-thread task, which is what the worker design avoids.
 */
async function naivePipeline(browser, bytes) {
  const assets = readdirSync(join(dist, 'assets'));
  const wasm = (re) => `${base}/assets/${assets.find((n) => re.test(n))}`;
  const wasmPaths = {
    'tfjs-backend-wasm.wasm': wasm(/^tfjs-backend-wasm-[\w-]+\.wasm$/),
    'tfjs-backend-wasm-simd.wasm': wasm(/^tfjs-backend-wasm-simd-[\w-]+\.wasm$/),
    'tfjs-backend-wasm-threaded-simd.wasm': wasm(/^tfjs-backend-wasm-threaded-simd-[\w-]+\.wasm$/),
  };
  // bypassCSP: the production CSP rightly forbids the inline scripts used to inject tfjs here.
  const context = await browser.newContext({ bypassCSP: true, serviceWorkers: 'block' });
  const page = await context.newPage();
  await page.goto(`${base}/api/model/manifest`);
  const tfjs = join(root, 'node_modules', '@tensorflow');
  await page.addScriptTag({ path: join(tfjs, 'tfjs', 'dist', 'tf.min.js') });
  await page.addScriptTag({
    path: join(tfjs, 'tfjs-backend-wasm', 'dist', 'tf-backend-wasm.min.js'),
  });
  const info = await page.evaluate(async (paths) => {
    const t0 = performance.now();
    tf.wasm.setWasmPaths(paths);
    tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
    await tf.setBackend('wasm');
    await tf.ready();
    const manifest = await (await fetch('/api/model/manifest')).json();
    const modelBase = manifest.baseUrl.endsWith('/') ? manifest.baseUrl : `${manifest.baseUrl}/`;
    const labels = await (await fetch(`${modelBase}labels.json`)).json();
    const full = await tf.loadLayersModel(`${modelBase}backbone/model.json`);
    // Same cut as the app when the export kept the ImageNet top.
    const backbone =
      full.outputs[0].shape.length === 2
        ? full
        : tf.model({
            inputs: full.inputs,
            outputs: full.getLayer('global_average_pooling2d_1').output,
          });
    const head = await tf.loadLayersModel(`${modelBase}head/model.json`);
    window.naive = { backbone, head, labels, longest: 0 };
    new PerformanceObserver((list) => {
      for (const e of list.getEntries())
        window.naive.longest = Math.max(window.naive.longest, e.duration);
    }).observe({ type: 'longtask' });
    const simd = await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT');
    return {
      loadMs: Math.round(performance.now() - t0),
      backend: `${tf.getBackend()}${simd ? '+simd' : ''}`,
    };
  }, wasmPaths);
  await putPhoto(page, bytes);
  const once = () =>
    page.evaluate(async () => {
      const { backbone, head, labels } = window.naive;
      const s = performance.now();
      const bitmap = await createImageBitmap(window.benchBlob, { imageOrientation: 'from-image' });
      const probs = tf.tidy(() => {
        const img = tf.browser.fromPixels(bitmap);
        const [h, w] = img.shape;
        const side = Math.min(h, w);
        const square = img.slice(
          [Math.floor((h - side) / 2), Math.floor((w - side) / 2), 0],
          [side, side, 3],
        );
        const x = tf.image
          .resizeBilinear(square, [224, 224])
          .toFloat()
          .div(127.5)
          .sub(1)
          .expandDims(0);
        return tf.softmax(head.predict(backbone.predict(x)));
      });
      const p = await probs.data();
      probs.dispose();
      bitmap.close();
      return { ms: performance.now() - s, top: labels[p.indexOf(Math.max(...p))] };
    });
  const longest = () => page.evaluate(() => Math.round(window.naive.longest));
  return { name: 'naive', backend: info.backend, loadMs: info.loadMs, once, longest, context };
}

/**
 * Round robin (A, B, C, A, B, C, ...): on a shared 2-core machine the load changes from second
 * to second, and interleaving spreads that noise evenly instead of blaming one pipeline.
 */
async function roundRobin(pipelines) {
  const out = new Map(pipelines.map((p) => [p.name, { times: [], top: null }]));
  for (let i = 0; i < WARMUP + ITERATIONS; i++) {
    for (const p of pipelines) {
      const r = await p.once();
      const o = out.get(p.name);
      if (i >= WARMUP) o.times.push(r.ms);
      o.top = r.top;
    }
  }
  return out;
}

/** Lighthouse (npm `lighthouse`, no browser download) against the same server, mobile defaults. */
async function runLighthouse() {
  let lighthouse;
  let launch;
  try {
    ({ default: lighthouse } = await import('lighthouse'));
    ({ launch } = await import('chrome-launcher'));
  } catch (err) {
    return { error: `lighthouse not installed: ${err.message}` };
  }
  const chrome = await launch({
    chromePath: process.env.CHROME_PATH ?? CHROMIUM,
    chromeFlags: ['--headless=new', ...CHROMIUM_ARGS],
  });
  try {
    const result = await lighthouse(`${base}/`, {
      port: chrome.port,
      output: 'json',
      logLevel: 'error',
      onlyCategories: ['performance', 'accessibility', 'best-practices'],
    });
    const lhr = result?.lhr;
    if (!lhr) return { error: 'lighthouse returned no report' };
    if (lhr.runtimeError) return { error: `${lhr.runtimeError.code}: ${lhr.runtimeError.message}` };
    const score = (id) =>
      lhr.categories[id]?.score == null ? null : Math.round(lhr.categories[id].score * 100);
    const audit = (id) => lhr.audits[id]?.numericValue ?? null;
    return {
      version: lhr.lighthouseVersion,
      formFactor: lhr.configSettings.formFactor,
      throttling: lhr.configSettings.throttlingMethod,
      performance: score('performance'),
      accessibility: score('accessibility'),
      bestPractices: score('best-practices'),
      firstContentfulPaintMs: Math.round(audit('first-contentful-paint')),
      largestContentfulPaintMs: Math.round(audit('largest-contentful-paint')),
      totalBlockingTimeMs: Math.round(audit('total-blocking-time')),
      consoleErrors: (lhr.audits['errors-in-console']?.details?.items ?? []).map(
        (i) => `${i.source ?? ''}: ${i.description ?? ''} ${i.sourceLocation?.url ?? i.url ?? ''}`,
      ),
      failedAudits: Object.values(lhr.audits)
        .filter((a) => a.score !== null && a.score < 0.9 && a.scoreDisplayMode === 'binary')
        .map((a) => a.id),
    };
  } catch (err) {
    return { error: err instanceof Error ? err.message : String(err) };
  } finally {
    await chrome.kill();
  }
}

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
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
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
  await context.close();

  // Choropleth map (surveillance, public view): first render and re-render with new counts, at
  // region (17 shapes) and MRC (104 shapes) level, through the app's own component.
  const mapContext = await browser.newContext({ viewport: { width: 412, height: 915 } });
  const mapPage = await mapContext.newPage();
  await mapPage.goto(base + '/');
  await mapPage.getByTestId('profile-producer').click();
  const mapRenderMs = {};
  for (const level of ['region', 'mrc']) {
    const r = await mapPage.evaluate((l) => window.phytodiagDebug.benchMap(l, 20), level);
    mapRenderMs[level] = {
      shapes: r.shapes,
      first: summary(r.firstMs),
      update: summary(r.updateMs),
    };
    log('map', level, mapRenderMs[level]);
  }
  await mapContext.close();

  // Photo → result: the app, the app forced to one thread, and the naive pipeline, interleaved.
  const pipelines = [
    await appPipeline(browser, bytes),
    await singleThreadPipeline(browser, bytes),
    await naivePipeline(browser, bytes),
  ];
  const [app, single, naive] = pipelines;
  const timed = await roundRobin(pipelines);
  const naiveLongestTaskMs = await naive.longest();
  for (const p of pipelines) await p.context.close();
  const worker = timed.get('worker');
  log('worker', app.backend, summary(worker.times));
  log('worker, one thread', single.backend, summary(timed.get('single').times));
  log('naive', naive.backend, summary(timed.get('naive').times));
  await browser.close();
  const lighthouse = process.argv.includes('--no-lighthouse')
    ? { skipped: true }
    : await runLighthouse();
  log('lighthouse', lighthouse);

  const result = {
    initialJsGzipBytes: initialJsGzip(),
    workerJsGzipBytes: workerJsGzip(),
    backend: cached.backend,
    modelVersion: cached.version,
    modelLoadColdMs: cold.loadMs,
    modelLoadCachedMs: cached.loadMs,
    // The app: decode + preprocess + classify in the worker, result back on the main thread.
    photoToResultMs: { ...summary(worker.times), backend: app.backend, top: worker.top },
    photoToResultSingleThreadWorkerMs: {
      ...summary(timed.get('single').times),
      backend: single.backend,
      top: timed.get('single').top,
    },
    photoToResultNaiveMs: {
      ...summary(timed.get('naive').times),
      backend: naive.backend,
      top: timed.get('naive').top,
      modelLoadMs: naive.loadMs,
      longestMainThreadTaskMs: naiveLongestTaskMs,
    },
    offlineRepeatVisitMs: offlineTti,
    // Target: first render ≤ 300 ms at both levels.
    mapRenderMs,
    libraryDownload: { ms: libraryMs, imageBytes: libraryBytes },
    lighthouse,
  };
  console.log(json ? JSON.stringify(result) : JSON.stringify(result, null, 2));
} finally {
  process.kill(-api.pid, 'SIGTERM');
}
