// `npm run -s bench:api -- [--json] [--long | --quick] [--postgres]`: HTTP load on loopback against
// a real API process (PGlite by default; --postgres: a fresh database on the PostgreSQL server).
// Starts Fastify's hello-world and the API (PGlite on a temporary disk directory, library seeded
// with SEED_MAX_IMAGES_PER_CLASS=1) as child processes, drives them with autocannon from this
// process, and prints ONE JSON object (progress on stderr). Phases: hello-world (reference),
// library list, model manifest, case creation with 3 distinct photos at 20 concurrent (camera
// photos, then gallery photos with EXIF, informational), then 200
// concurrent users of mixed traffic, each at one request a second (10 s, or 60 s with --long),
// then the same traffic with no pause between requests (saturation, informational). --quick (what `npm test` runs, see
// scripts/bench-api-check.mjs) gives every phase 3 s: a smoke test of the load paths (0 errors),
// too short for the speed figures to mean much. Both children are stopped at the end, whatever
// happens.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes, randomInt, randomUUID } from 'node:crypto';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon, { type RequestSpec } from 'autocannon';
import pg from 'pg';
import sharp from 'sharp';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const TSX = join(ROOT, 'node_modules', '.bin', 'tsx');
const LONG = process.argv.includes('--long');
// --postgres: the API on a fresh database of the PostgreSQL server (TEST_POSTGRES_URL, else the
// local one), as a production deployment runs; by default the embedded PGlite.
const POSTGRES = process.argv.includes('--postgres');
const POSTGRES_SERVER = process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const QUICK = !LONG && process.argv.includes('--quick');
const PHASE_S = Number(process.env.BENCH_PHASE_SECONDS ?? (QUICK ? 3 : 10));
const MIXED_S = LONG ? 60 : PHASE_S;
const PASSWORD = 'bench-password-123';
/** A busy user's pace in the mixed phase (a request a second, where a person takes several). */
const USER_REQUESTS_PER_SECOND = 1;
// One account per simulated user in the long run (a user's case list holds their own few cases,
// as in the field); fewer in the short runs, where registering 200 would dominate the time.
const USERS = LONG ? 200 : 20;
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

/**
 * One load phase; latencies are collected per response for exact percentiles. With a pace
 * (`connectionRate`), the connections are started in `groups` spread over one second, each group
 * at another step of the request list: autocannon starts every connection at once on the first
 * request, and 200 users clicking the same thing in the same millisecond every second would
 * measure a synchronised burst that real users never make.
 */
async function load(
  name: string,
  url: string,
  connections: number,
  duration: number,
  requests: RequestSpec[],
  /** Requests per second per connection (a user's pace); none: as fast as answers come. */
  connectionRate?: number,
) {
  const groups = connectionRate ? 10 : 1;
  log(
    `${name}: ${connections} connections, ${duration} s${connectionRate ? `, ${connectionRate}/s each, started in ${groups} groups over 1 s` : ''}`,
  );
  const times: number[] = [];
  const runs = await Promise.all(
    Array.from({ length: groups }, async (_, g) => {
      await new Promise((r) => setTimeout(r, (g * 1000) / groups));
      const instance = autocannon({
        url,
        connections: Math.round(connections / groups),
        duration,
        timeout: 10,
        // Each connection walks the request list in order: group g starts g steps further, so
        // the users are at different points of their session (otherwise every one of them
        // would send the list's case creation in the same second).
        requests: [
          ...requests.slice(g % requests.length),
          ...requests.slice(0, g % requests.length),
        ],
        ...(connectionRate ? { connectionRate } : {}),
      });
      instance.on('response', (_client, _status, _bytes, ms) => times.push(ms));
      return instance;
    }),
  );
  times.sort((a, b) => a - b);
  const statusCodes: Record<string, number> = {};
  for (const run of runs) {
    for (const [code, stat] of Object.entries(run.statusCodeStats)) {
      statusCodes[code] = (statusCodes[code] ?? 0) + stat.count;
    }
  }
  const sum = (f: (r: (typeof runs)[number]) => number) => runs.reduce((n, r) => n + f(r), 0);
  const elapsedS = Math.max(...runs.map((r) => r.duration));
  return {
    connections,
    durationS: duration,
    requests: times.length,
    reqPerSec: Math.round(times.length / elapsedS),
    latencyMs: {
      p50: round(percentile(times, 50)),
      p95: round(percentile(times, 95)),
      p99: round(percentile(times, 99)),
      max: round(times.at(-1) ?? null),
    },
    // At a fixed pace, a slow answer delays the requests that should have followed it; autocannon
    // corrects its own histogram for that (coordinated omission). Its p99 is per group: the worst
    // group's is reported, next to ours.
    ...(connectionRate
      ? {
          latencyMsCorrected: {
            p50: Math.max(...runs.map((r) => r.latency.p50)),
            p99: Math.max(...runs.map((r) => r.latency.p99)),
          },
        }
      : {}),
    errors: sum((r) => r.errors + r.timeouts),
    non2xx: sum((r) => r.non2xx),
    statusCodes,
  };
}

/**
 * The same photo made a distinct upload (the duplicate-photo guard). A camera photo (plain JFIF)
 * gets a random, non-zero pixel density (header bytes 14–17): new bytes, same pixels, still a
 * clean JPEG that the API stores as it is. Any other photo gets random bytes after its end: the
 * API re-encodes those anyway.
 */
function distinctJpeg(photo: Buffer): Buffer {
  if (photo.toString('latin1', 6, 11) !== 'JFIF\0') return Buffer.concat([photo, randomBytes(16)]);
  const copy = Buffer.from(photo);
  copy.writeUInt16BE(1 + randomInt(65535), 14);
  copy.writeUInt16BE(1 + randomInt(65535), 16);
  return copy;
}

/** multipart/form-data with `photos` (each made distinct: the duplicate-photo guard) + case. */
function caseForm(photos: Buffer[]): { body: Buffer; contentType: string } {
  const boundary = `----bench${randomBytes(12).toString('hex')}`;
  const parts: Buffer[] = photos.map((photo, i) =>
    Buffer.concat([
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="photo"; filename="p${i}.jpg"\r\nContent-Type: image/jpeg\r\n\r\n`,
      ),
      distinctJpeg(photo),
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

/** A new, empty database on the PostgreSQL server; drop() removes it. */
async function freshDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `phytodiag_bench_${randomBytes(6).toString('hex')}`;
  const admin = async (sql: string) => {
    const client = new pg.Client({ connectionString: POSTGRES_SERVER });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };
  await admin(`CREATE DATABASE ${name}`);
  const url = new URL(POSTGRES_SERVER);
  url.pathname = `/${name}`;
  return { url: url.toString(), drop: () => admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
}

async function main() {
  const tmp = await mkdtemp(join(tmpdir(), 'phytodiag-bench-'));
  const database = POSTGRES ? await freshDatabase() : null;
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
      DATABASE_URL: database?.url ?? '',
      PGLITE_DIR: '',
      LOG_LEVEL: 'warn',
      SEED_ON_START: 'true',
      SEED_MAX_IMAGES_PER_CLASS: '1',
      // One client IP makes all the traffic: the per-IP limits would measure 429s instead.
      RATE_LIMIT_MAX: '100000000',
      LOGIN_RATE_LIMIT_MAX: '100000',
      REGISTER_RATE_LIMIT_MAX: '100000',
      CASE_RATE_LIMIT_MAX: '100000000',
    });
    const helloUrl = `http://127.0.0.1:${helloPort}`;
    const apiUrl = `http://127.0.0.1:${apiPort}`;
    await waitFor(helloUrl, hello, 60);
    log('starting the API (migrations + library seed)…');
    await waitFor(`${apiUrl}/api/health`, api, 300);

    const signUp = async (i: number): Promise<string> => {
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
      return cookie.split(';')[0] ?? '';
    };
    log(`signing up ${USERS} users…`);
    const cookies: string[] = [];
    // A few at a time: password hashing is deliberately costly.
    for (let i = 0; i < USERS; i += 4) {
      const batch = Array.from({ length: Math.min(4, USERS - i) }, (_, k) => signUp(i + k));
      cookies.push(...(await Promise.all(batch)));
    }
    let turn = 0;
    const nextCookie = () => cookies[turn++ % cookies.length] ?? '';

    const bank = resolve(ROOT, process.env.IMAGEBANK_DIR ?? '../shared/data/imagebank');
    const photoDir = join(bank, 'potato_late_blight');
    const files = (await readdir(photoDir)).filter((f) => f.endsWith('.jpg')).sort();
    const photos = await Promise.all(files.slice(0, 3).map((f) => readFile(join(photoDir, f))));
    const createCaseWith = (casePhotos: Buffer[]): RequestSpec => ({
      method: 'POST',
      path: '/api/escalations',
      setupRequest: (request) => {
        const form = caseForm(casePhotos);
        return {
          ...request,
          body: form.body,
          headers: { 'content-type': form.contentType, cookie: nextCookie() },
        };
      },
    });
    // What the PWA's camera sends: plain JFIF files, which the API stores as they are once they
    // decode cleanly.
    const createCase = createCaseWith(photos);
    // Photos picked from a phone's gallery carry EXIF (here a GPS position): the API re-encodes
    // them to drop it, which costs more.
    const galleryPhotos = await Promise.all(
      photos.map((photo) =>
        sharp(photo)
          .withExif({ IFD0: { Make: 'Bench', Model: 'Gallery' }, IFD3: { GPSLatitudeRef: 'N' } })
          .jpeg({ quality: 92 })
          .toBuffer(),
      ),
    );
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
    const galleryCreate = await load('create-gallery', apiUrl, 20, PHASE_S, [
      createCaseWith(galleryPhotos),
    ]);
    const authed = (path: string): RequestSpec => ({
      path,
      setupRequest: (request) => ({ ...request, headers: { cookie: nextCookie() } }),
    });
    // A user's session: mostly reads (library, manifest, their cases, an image), 1 case in 10.
    const session: RequestSpec[] = [
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
    ];
    // 200 concurrent users, each at a person's pace: one request a second, no one idle.
    const mixed = await load('mixed', apiUrl, 200, MIXED_S, session, USER_REQUESTS_PER_SECOND);
    // The same traffic with no pause at all: how much the machine serves when saturated, and
    // what latency then looks like. Informational: no real user clicks without pause.
    const saturated = await load('mixed-saturated', apiUrl, 200, PHASE_S, session);

    const ratio = (r: { reqPerSec: number }) =>
      round(r.reqPerSec / Math.max(1, helloWorld.reqPerSec), 3);
    return {
      machine: {
        cpus: cpus().length,
        node: process.version,
        loadavg1m: round(loadavg()[0] ?? 0, 2),
      },
      mode: LONG ? 'long' : QUICK ? 'quick' : 'short',
      database: POSTGRES ? 'postgres' : 'pglite',
      users: USERS,
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
      // Informational: the same creation with gallery photos (EXIF), re-encoded by the API.
      escalationCreateGallery: { ...galleryCreate, photosPerCase: 3 },
      mixed: {
        ...mixed,
        users: 200,
        requestsPerUserPerSecond: USER_REQUESTS_PER_SECOND,
        writeShare: 0.1,
        targetP99Ms: 1000,
        pass:
          Math.max(mixed.latencyMs.p99 ?? Infinity, mixed.latencyMsCorrected?.p99 ?? 0) <= 1000 &&
          mixed.errors + mixed.non2xx === 0,
      },
      mixedSaturated: { ...saturated, writeShare: 0.1 },
    };
  } finally {
    await stopChildren();
    await rm(tmp, { recursive: true, force: true });
    await database?.drop();
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
