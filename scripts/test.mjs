#!/usr/bin/env node
// `npm test`: the whole verification, in the order a reviewer would want it.
//   static checks (tsc -b, ESLint, Prettier) → unit and integration suites (model, API on
//   embedded PGlite AND on the real PostgreSQL, web) → build → browser suite in Chromium.
// Every suite writes a JSON report; the last line sums them as "N passed, N failed".
// Options: --only=step1,step2 runs a subset (names below); --keep-going is the default.
import {
  closeSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readFileSync,
  rmSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import net from 'node:net';
import { bin, repoRoot, run } from './lib/run.mjs';

const reports = mkdtempSync(join(tmpdir(), 'phytodiag-test-'));
// Every suite's temp folders (test banks and caches, databases, browser profiles) go inside
// this run's folder, removed at the end: a run leaves nothing behind in the system temp folder.
process.env.TMPDIR = join(reports, 'tmp');
mkdirSync(process.env.TMPDIR);
const only = process.argv
  .find((a) => a.startsWith('--only='))
  ?.slice('--only='.length)
  .split(',');
const postgresUrl = process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const modelDir = resolve(repoRoot, process.env.MODEL_DIR ?? 'model/dist');
const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

const totals = { passed: 0, failed: 0, skipped: 0 };
const summary = [];

function reachable(url) {
  const { hostname, port } = new URL(url);
  return new Promise((done) => {
    const socket = net.connect({ host: hostname, port: Number(port || 5432) });
    socket.setTimeout(2000);
    socket.on('connect', () => (socket.destroy(), done(true)));
    socket.on('timeout', () => (socket.destroy(), done(false)));
    socket.on('error', () => done(false));
  });
}

function readVitest(file) {
  const r = JSON.parse(readFileSync(file, 'utf8'));
  return {
    passed: r.numPassedTests,
    failed: r.numFailedTests + (r.numRuntimeErrorTestSuites ?? 0),
    skipped: r.numPendingTests + r.numTodoTests,
  };
}

function readPlaywright(file) {
  const s = JSON.parse(readFileSync(file, 'utf8')).stats;
  return { passed: s.expected + s.flaky, failed: s.unexpected, skipped: s.skipped };
}

/**
 * Runs one step; counts tests from its JSON report when it has one, else counts the step.
 * `quiet` holds the step's output in a file and prints it when the step ends, so a step run beside
 * another does not interleave its lines with the other's.
 */
async function step(
  name,
  command,
  args,
  { env, report, parse, always = false, quiet = false } = {},
) {
  if (only && !only.includes(name) && !always) return;
  // The summary keeps the order the steps started in, even when they end in another.
  const slot = summary.push(`FAIL ${name}: did not end`) - 1;
  const log = join(reports, `${name}.log`);
  const out = quiet ? openSync(log, 'w') : undefined;
  if (!quiet) console.log(`\n━━━ ${name} ━━━`);
  const started = Date.now();
  const code = await run(command, args, {
    env,
    ...(out === undefined ? {} : { stdio: ['ignore', out, out] }),
  });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  if (out !== undefined) {
    closeSync(out);
    console.log(`\n━━━ ${name} (ran beside other steps) ━━━`);
    process.stdout.write(readFileSync(log));
  }
  let counts = { passed: code === 0 ? 1 : 0, failed: code === 0 ? 0 : 1, skipped: 0 };
  if (report && existsSync(report)) {
    counts = parse(report);
    if (code !== 0 && counts.failed === 0) counts.failed = 1; // crashed outside a test
  }
  totals.passed += counts.passed;
  totals.failed += counts.failed;
  totals.skipped += counts.skipped;
  summary[slot] =
    `${code === 0 ? 'ok  ' : 'FAIL'} ${name} (${seconds}s): ${counts.passed} passed, ${counts.failed} failed`;
}

const vitest = (name, config, env, options = {}) => {
  const report = join(reports, `${name}.json`);
  return step(
    name,
    bin('vitest'),
    [
      'run',
      '--config',
      config,
      '--reporter=default',
      '--reporter=json',
      `--outputFile.json=${report}`,
    ],
    { env, report, parse: readVitest, ...options },
  );
};

// The load check and the browser suite need a trained model (the manifest is one of the loaded
// routes), and the browser suite the built PWA, exactly as `npm start` makes them. A cold training
// (~6 min on 2 cores) starts first, beside the static checks, the model and web suites and the PWA
// build, which mostly keep one core busy; it must end before the API suites, which keep both busy.
// --no-baseline: the very model `npm start` trains, without the kNN baseline's second embedding of
// the bank (~2 min here), which only `model:eval --baseline knn` reads and the model suite tests.
const needsModel = !only || only.includes('e2e') || only.includes('bench-api-quick');
const training =
  needsModel && !existsSync(join(modelDir, 'current.json'))
    ? step('model-train', 'npm', ['run', 'model:train', '--', '--no-baseline'], {
        always: true,
        quiet: true,
      })
    : undefined;
const e2e = !only || only.includes('e2e');

await step('typecheck', bin('tsc'), ['-b']);
await step('eslint', bin('eslint'), ['.', '--max-warnings=0']);
await step('prettier', bin('prettier'), ['--check', '.', '--log-level=warn']);

await vitest('model', 'model/vitest.config.ts');
await vitest('web', 'web/vitest.config.ts');
// The PWA build needs no model: beside the training's end rather than after it.
if (e2e) await step('web-build', 'npm', ['run', 'build'], { always: true });
await training;
// The API suite twice, side by side: each test file gets its own database, so the two runs share
// nothing, and neither keeps both cores busy. Side by side they took 190 s here instead of
// 155 + 130 s one after the other.
const apiRuns = [vitest('api-pglite', 'api/vitest.config.ts', { DATABASE_URL: '' })];
if (await reachable(postgresUrl)) {
  apiRuns.push(
    vitest('api-postgres', 'api/vitest.config.ts', { DATABASE_URL: postgresUrl }, { quiet: true }),
  );
} else if (process.env.CI) {
  summary.push(`FAIL api-postgres: PostgreSQL not reachable at ${postgresUrl}`);
  totals.failed += 1;
} else {
  summary.push(
    `skip api-postgres: PostgreSQL not reachable at ${postgresUrl} (set TEST_POSTGRES_URL)`,
  );
}
await Promise.all(apiRuns);

// A real API process under a few seconds of load per phase: 0 errors (speed is bench:api's job).
await step('bench-api-quick', process.execPath, ['scripts/bench-api-check.mjs']);

if (e2e) {
  if (existsSync(chromium)) {
    const report = join(reports, 'e2e.json');
    await step(
      'e2e',
      bin('playwright'),
      ['test', '-c', 'test/playwright.config.ts', '--reporter=list,json'],
      {
        env: { PLAYWRIGHT_JSON_OUTPUT_NAME: report },
        report,
        parse: readPlaywright,
      },
    );
  } else {
    summary.push(`FAIL e2e: Chromium not found at ${chromium} (apt-get install -y chromium)`);
    totals.failed += 1;
  }
}

console.log('\n━━━ summary ━━━');
for (const line of summary) console.log(line);
console.log(`\n${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
// Reports and held logs were read above; the temp folders are the suites' own.
rmSync(reports, { recursive: true, force: true });
process.exit(totals.failed === 0 ? 0 : 1);
