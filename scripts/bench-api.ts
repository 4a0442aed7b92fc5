// `npm run -s bench:api -- [--json] [--long | --quick]`: HTTP load on loopback against a real API
// process.
// Starts Fastify's hello-world and the API (PGlite on a temporary disk directory, library seeded
// with SEED_MAX_IMAGES_PER_CLASS=1) as child processes, drives them with autocannon from this
// process, and prints ONE JSON object (progress on stderr). Phases: hello-world (reference),
// library list, model manifest, case creation with 3 distinct photos at 20 concurrent, then 200
// concurrent users of mixed traffic (10 s, or 60 s with --long). --quick (what `npm test` runs, see
// scripts/bench-api-check.mjs) gives every phase 3 s: a smoke test of the load paths (0 errors),
// too short for the speed figures to mean much. Both children are stopped at the end, whatever
// happens.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon, { type RequestSpec } from 'autocannon';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const TSX = join(ROOT, 'node_modules', '.bin', 'tsx');
const LONG = process.argv.includes('--long');
const QUICK = !LONG && process.argv.includes('--quick');
const PHASE_S = Number(process.env.BENCH_PHASE_SECONDS ?? (QUICK ? 3 : 10));
const MIXED_S = LONG ? 60 : PHASE_S;
const PASSWORD = 'bench-password-123';
const USERS = 10;
const log = (msg: string) => process.stderr.write(`[bench:api] ${msg}\n`);

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

const children: ChildProcess[] = [];
function startChild(script: string, env: Record<string, string>): ChildProcess {
  // stdout → our stderr: this process's stdout carries only the JSON result.
  const child = spawn(TSX, [script], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 2, 2],
  });
  children.push(child);
  return child;
}
async function stopChildren(): Promise<void> {
  await Promise.all(
    children.map(
      (child) =>
        new Promise<void>((done) => {
          if (child.exitCode !== null || child.signalCode !== null) return done();
          child.once('exit', () => done());
          child.kill('SIGTERM');
          setTimeout(() => child.kill('SIGKILL'), 15_000).unref();
        }),
    ),
  );
}

async function waitFor(url: string, child: ChildProcess, seconds: number): Promise<void> {
  const deadline = Date.now() + seconds * 1000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${url}: server exited (${child.exitCode})`);
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${url} not ready after ${seconds} s`);
}

const percentile = (sorted: number[], p: number) =>
  sorted.length === 0
    ? null
    : (sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? null);
const round = (n: number | null, digits = 1) =>
  n === null ? null : Math.round(n * 10 ** digits) / 10 ** digits;

/** One autocannon run; latencies are collected per response for exact percentiles. */
async function load(
  name: string,
  url: string,
  connections: number,
  duration: number,
  requests: RequestSpec[],
) {
  log(`${name}: ${connections} connections, ${duration} s`);
  const times: number[] = [];
  const instance = autocannon({ url, connections, duration, timeout: 10, requests });
  instance.on('response', (_client, _status, _bytes, ms) => times.push(ms));
  const result = await instance;
  times.sort((a, b) => a - b);
  const statusCodes = Object.fromEntries(
    Object.entries(result.statusCodeStats).map(([code, s]) => [code, s.count]),
  );
  return {
    connections,
    durationS: duration,
    requests: times.length,
    reqPerSec: Math.round(times.length / result.duration),
    latencyMs: {
      p50: round(percentile(times, 50)),
      p95: round(percentile(times, 95)),
      p99: round(percentile(times, 99)),
      max: round(times.at(-1) ?? null),
    },
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
    statusCodes,
  };
}

/** multipart/form-data with `photos` (each made distinct: the duplicate-photo guard) + case. */
function caseForm(photos: Buffer[]): { body: Buffer; contentType: string } {
  const boundary = `----bench${randomBytes(12).toString('hex')}`;
  const parts: Buffer[] = photos.map((photo, i) =>
    Buffer.concat([
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="photo"; filename="p${i}.jpg"\r\nContent-Type: image/jpeg\r\n\r\n`,
      ),
      photo,
      randomBytes(16),
      Buffer.from('\r\n'),
    ]),
  );
  const json = JSON.stringify({
    clientId: randomUUID(),
    crop: 'Pomme de terre',
    description: 'Banc d’essai : taches brunes',
    prediction: {
      modelVersion: 'bench',
      abstained: false,
      top: [{ slug: 'potato_late_blight', p: 0.8 }],
    },
    location: { lat: 46.81, lon: -71.21, accuracyM: 12 },
    regionCode: '03',
  });
  parts.push(
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="case"\r\n\r\n${json}\r\n--${boundary}--\r\n`,
    ),
  );
  return { body: Buffer.concat(parts), contentType: `multipart/form-data; boundary=${boundary}` };
}

async function main() {
  const tmp = await mkdtemp(join(tmpdir(), 'phytodiag-bench-'));
  try {
    const [helloPort, apiPort] = [await freePort(), await freePort()];
    const hello = startChild(join(ROOT, 'scripts', 'lib', 'hello-world.ts'), {
      PORT: String(helloPort),
    });
    const api = startChild(join(ROOT, 'api', 'src', 'server.ts'), {
      NODE_ENV: 'development',
      HOST: '127.0.0.1',
      PORT: String(apiPort),
      DATA_DIR: tmp,
      DATABASE_URL: '',
      PGLITE_DIR: '',
      LOG_LEVEL: 'warn',
      SEED_ON_START: 'true',
      SEED_MAX_IMAGES_PER_CLASS: '1',
      // One client IP makes all the traffic: the per-IP limits would measure 429s instead.
      RATE_LIMIT_MAX: '100000000',
      LOGIN_RATE_LIMIT_MAX: '100000',
      CASE_RATE_LIMIT_MAX: '100000000',
    });
    const helloUrl = `http://127.0.0.1:${helloPort}`;
    const apiUrl = `http://127.0.0.1:${apiPort}`;
    await waitFor(helloUrl, hello, 60);
    log('starting the API (migrations + library seed)…');
    await waitFor(`${apiUrl}/api/health`, api, 300);

    const cookies: string[] = [];
    for (let i = 0; i < USERS; i++) {
      const email = `bench-${i}@example.com`;
      const headers = { 'content-type': 'application/json' };
      const reg = await fetch(`${apiUrl}/api/auth/register`, {
        method: 'POST',
        headers,
        body: JSON.stringify({ email, password: PASSWORD, profileKind: 'producer' }),
      });
      if (reg.status !== 201) throw new Error(`register: ${reg.status} ${await reg.text()}`);
      const res = await fetch(`${apiUrl}/api/auth/login`, {
        method: 'POST',
        headers,
        body: JSON.stringify({ email, password: PASSWORD }),
      });
      const cookie = res.headers.getSetCookie().find((c) => c.startsWith('phytodiag_session='));
      if (!cookie) throw new Error(`login: ${res.status} ${await res.text()}`);
      cookies.push(cookie.split(';')[0] ?? '');
    }
    let turn = 0;
    const nextCookie = () => cookies[turn++ % cookies.length] ?? '';

    const bank = resolve(ROOT, process.env.IMAGEBANK_DIR ?? '../shared/data/imagebank');
    const photoDir = join(bank, 'potato_late_blight');
    const files = (await readdir(photoDir)).filter((f) => f.endsWith('.jpg')).sort();
    const photos = await Promise.all(files.slice(0, 3).map((f) => readFile(join(photoDir, f))));
    const createCase: RequestSpec = {
      method: 'POST',
      path: '/api/escalations',
      setupRequest: (request) => {
        const form = caseForm(photos);
        return {
          ...request,
          body: form.body,
          headers: { 'content-type': form.contentType, cookie: nextCookie() },
        };
      },
    };
    const probe = caseForm(photos);
    const first = await fetch(`${apiUrl}/api/escalations`, {
      method: 'POST',
      headers: { 'content-type': probe.contentType, cookie: nextCookie() },
      body: new Uint8Array(probe.body),
    });
    if (first.status !== 201)
      throw new Error(`case creation: ${first.status} ${await first.text()}`);

    const library = (await (await fetch(`${apiUrl}/api/library`)).json()) as {
      items?: { slug: string; iconUrl?: string | null }[];
    };
    const entry = library.items?.find((e) => e.iconUrl) ?? library.items?.[0];
    const manifestStatus = (await fetch(`${apiUrl}/api/model/manifest`)).status;

    const helloWorld = await load('hello-world', helloUrl, 50, PHASE_S, [{ path: '/' }]);
    const libraryRead = await load('library', apiUrl, 50, PHASE_S, [{ path: '/api/library' }]);
    const manifestRead = await load('manifest', apiUrl, 50, PHASE_S, [
      { path: '/api/model/manifest' },
    ]);
    const escalationCreate = await load('create', apiUrl, 20, PHASE_S, [createCase]);
    const authed = (path: string): RequestSpec => ({
      path,
      setupRequest: (request) => ({ ...request, headers: { cookie: nextCookie() } }),
    });
    // A user's session: mostly reads (library, manifest, their cases, an image), 1 case in 10.
    const mixed = await load('mixed', apiUrl, 200, MIXED_S, [
      { path: '/api/library' },
      { path: '/api/model/manifest' },
      ...(entry ? [{ path: `/api/library/${entry.slug}` }] : []),
      ...(entry?.iconUrl ? [{ path: entry.iconUrl }] : []),
      authed('/api/auth/me'),
      authed('/api/escalations'),
      { path: '/api/library/sync?since=0' },
      { path: '/api/health' },
      { path: '/api/library' },
      createCase,
    ]);

    const ratio = (r: { reqPerSec: number }) =>
      round(r.reqPerSec / Math.max(1, helloWorld.reqPerSec), 3);
    return {
      machine: {
        cpus: cpus().length,
        node: process.version,
        loadavg1m: round(loadavg()[0] ?? 0, 2),
      },
      mode: LONG ? 'long' : QUICK ? 'quick' : 'short',
      seed: { maxImagesPerClass: 1, libraryEntries: library.items?.length ?? 0 },
      helloWorld,
      libraryRead: {
        ...libraryRead,
        ratioToHelloWorld: ratio(libraryRead),
        targetReqPerSec: 2000,
        pass: libraryRead.reqPerSec >= 2000 && libraryRead.errors + libraryRead.non2xx === 0,
      },
      manifestRead: {
        ...manifestRead,
        manifestStatus,
        ratioToHelloWorld: ratio(manifestRead),
        targetReqPerSec: 2000,
        pass: manifestRead.reqPerSec >= 2000 && manifestRead.errors + manifestRead.non2xx === 0,
      },
      escalationCreate: {
        ...escalationCreate,
        photosPerCase: 3,
        targetP95Ms: 300,
        pass:
          (escalationCreate.latencyMs.p95 ?? Infinity) <= 300 &&
          escalationCreate.errors + escalationCreate.non2xx === 0,
      },
      mixed: {
        ...mixed,
        writeShare: 0.1,
        targetP99Ms: 1000,
        pass: (mixed.latencyMs.p99 ?? Infinity) <= 1000 && mixed.errors + mixed.non2xx === 0,
      },
    };
  } finally {
    await stopChildren();
    await rm(tmp, { recursive: true, force: true });
  }
}

try {
  const result = await main();
  // --json or not, the output is the JSON object (the human reads it just as well).
  console.log(JSON.stringify(result, null, process.argv.includes('--json') ? 0 : 2));
} catch (err) {
  log(err instanceof Error ? err.message : String(err));
  await stopChildren();
  process.exit(1);
}
