// `npm run -s bench:surveillance -- [--json] [--count 1000000] [--runs 30] [--keep]`: surveillance
// query speed on PostgreSQL at scale. Creates a scratch database `phytodiag_bench` on the server of
// BENCH_DATABASE_URL / DATABASE_URL (default postgres://postgres@127.0.0.1:5432/postgres),
// generates --count detections with the generator (bulk load + rollup rebuild), then times the
// endpoints through the real app (inject: routing, validation, SQL, serialisation) with varied
// filters: map by region and by MRC, series, table, table.csv, the public view and the context
// priors (three years of confirmations by region and month), p50/p95 over
// --runs runs each after 3 warm-up runs. Prints ONE JSON object; the database is dropped at the end
// (kept with --keep, to EXPLAIN a query on the same data).
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { buildApp, type App } from '../api/src/app';
// The decorations (db, repos, services) are declared by these plugins.
import type {} from '../api/src/plugins/app/db';
import type {} from '../api/src/plugins/app/services';
import { loadConfig } from '../api/src/config';
import { addWeeks, weekOf } from '../api/src/lib/iso-week';
import { generatorClasses, loadDetections, readMrcs } from '../api/src/seed/load-detections';
import { prng } from '../api/src/seed/detection-generator';
import { seedDemoUsers } from '../api/src/seed/seed-demo-users';

const { values } = parseArgs({
  options: {
    count: { type: 'string', default: '1000000' },
    runs: { type: 'string', default: '30' },
    json: { type: 'boolean', default: false },
    // Leaves the database in place afterwards, to EXPLAIN a slow query on the same data.
    keep: { type: 'boolean', default: false },
  },
});
const COUNT = Number(values.count);
const RUNS = Number(values.runs);
const TARGET_P95_MS = 200;
const DB_NAME = 'phytodiag_bench';
const PASSWORD = 'bench-password-123';
const log = (msg: string) => process.stderr.write(`[bench:surveillance] ${msg}\n`);

const serverUrl =
  process.env.BENCH_DATABASE_URL ??
  process.env.DATABASE_URL ??
  'postgres://postgres@127.0.0.1:5432/postgres';

async function admin(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

function percentile(sorted: number[], p: number): number {
  const i = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return Math.round((sorted[Math.max(0, i)] ?? 0) * 10) / 10;
}

async function time(
  app: App,
  cookie: string | undefined,
  urls: () => string,
): Promise<{ p50: number; p95: number; max: number; runs: number }> {
  const ms: number[] = [];
  for (let i = 0; i < RUNS + 3; i += 1) {
    const url = urls();
    const t0 = performance.now();
    const res = await app.inject({ method: 'GET', url, headers: cookie ? { cookie } : {} });
    const elapsed = performance.now() - t0;
    if (res.statusCode !== 200) throw new Error(`${url}: HTTP ${res.statusCode} ${res.body}`);
    if (i >= 3) ms.push(elapsed);
  }
  ms.sort((a, b) => a - b);
  return { p50: percentile(ms, 50), p95: percentile(ms, 95), max: percentile(ms, 100), runs: RUNS };
}

async function main(): Promise<Record<string, unknown>> {
  try {
    await admin(`DROP DATABASE IF EXISTS ${DB_NAME} WITH (FORCE)`);
    await admin(`CREATE DATABASE ${DB_NAME}`);
  } catch (err) {
    return { skipped: `no PostgreSQL server reachable (${(err as Error).message})` };
  }
  const url = new URL(serverUrl);
  url.pathname = `/${DB_NAME}`;
  let app: App | undefined;
  try {
    const config = loadConfig({
      ...process.env,
      NODE_ENV: 'test',
      LOG_LEVEL: 'silent',
      DATABASE_URL: url.toString(),
      SEED_ON_START: 'false',
      TRAINING_WORKER: 'false',
      DEMO_PASSWORD: PASSWORD,
    });
    app = await buildApp(config);
    const classes = await generatorClasses(app.db, config.imagebankDir);
    const mrcs = await readMrcs(config.geoDir);
    const lastWeek = weekOf(new Date(), config.serviceTimezone);
    log(`generating ${COUNT} detections over 104 weeks…`);
    const t0 = performance.now();
    await loadDetections(
      app.db,
      { seed: 1, count: COUNT, classes, mrcs, lastWeek, weeks: 104 },
      5000,
      (done) => {
        if (done % 200_000 === 0) log(`${done} / ${COUNT}`);
      },
    );
    const generateSeconds = Math.round((performance.now() - t0) / 100) / 10;
    // As db:generate-detections and autovacuum do after a bulk load: the covering index of the
    // public view and the context priors is only read alone once the visibility map is set.
    await app.db.exec('VACUUM ANALYZE');
    const size = await app.db.one<{ raw: string; rollup: string }>(
      `SELECT (SELECT count(*) FROM detections) AS raw, (SELECT count(*) FROM detection_weekly) AS rollup`,
    );
    await seedDemoUsers(app.services.auth, app.repos, PASSWORD);
    const login = await app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { email: 'specialiste@demo.local', password: PASSWORD },
    });
    const session = login.cookies.find((c) => c.name === 'phytodiag_session');
    if (!session) throw new Error(`login failed: ${login.statusCode}`);
    const cookie = `phytodiag_session=${session.value}`;

    // Varied filters: periods of 4 to 52 weeks, with or without class / kind / crop / region / source.
    const random = prng(2);
    const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;
    const regions = [...new Set(mrcs.map((m) => m.regionCode))];
    const query = (level?: 'region' | 'mrc') => {
      const q = new URLSearchParams();
      const to = addWeeks(lastWeek, -Math.floor(random() * 52));
      q.set('to', to);
      q.set('from', addWeeks(to, -pick([3, 11, 25, 51])));
      const c = pick(classes);
      const filter = pick(['none', 'slug', 'kind', 'crop', 'region', 'source']);
      if (filter === 'slug') q.set('slug', c.slug);
      if (filter === 'kind') q.set('kind', c.kind);
      if (filter === 'crop') q.set('crop', c.crop);
      if (filter === 'region') q.set('regionCode', pick(regions));
      if (filter === 'source') q.set('source', pick(['device', 'confirmed']));
      if (level) q.set('level', level);
      return q.toString();
    };
    const publicQuery = () => {
      const q = new URLSearchParams();
      const to = addWeeks(lastWeek, -Math.floor(random() * 52));
      q.set('to', to);
      q.set('from', addWeeks(to, -pick([3, 11, 25, 51])));
      if (random() < 0.5) q.set('slug', pick(classes).slug);
      return q.toString();
    };
    log('timing queries…');
    // Timings on a shared 2-core machine mean little without the load they were taken under.
    const loadBefore = loadavg()[0] ?? 0;
    const queries = {
      mapRegion: await time(app, cookie, () => `/api/surveillance/map?${query('region')}`),
      mapMrc: await time(app, cookie, () => `/api/surveillance/map?${query('mrc')}`),
      series: await time(app, cookie, () => `/api/surveillance/series?${query()}`),
      table: await time(app, cookie, () => `/api/surveillance/table?${query()}`),
      tableCsv: await time(app, cookie, () => `/api/surveillance/table.csv?${query()}`),
      public: await time(app, undefined, () => `/api/public/detections?${publicQuery()}`),
      contextPriors: await time(app, undefined, () => '/api/public/context-priors'),
    };
    const worstP95 = Math.max(...Object.values(queries).map((q) => q.p95));
    return {
      db: 'postgres',
      detections: Number(size.raw),
      rollupRows: Number(size.rollup),
      generateSeconds,
      queries,
      unit: 'ms',
      loadAverage1m: {
        before: Math.round(loadBefore * 10) / 10,
        after: Math.round((loadavg()[0] ?? 0) * 10) / 10,
      },
      targetP95Ms: TARGET_P95_MS,
      worstP95Ms: worstP95,
      pass: worstP95 <= TARGET_P95_MS,
    };
  } finally {
    await app?.close();
    if (values.keep) log(`kept database ${DB_NAME}`);
    else {
      await admin(`DROP DATABASE IF EXISTS ${DB_NAME} WITH (FORCE)`).catch((err: unknown) =>
        log(`could not drop ${DB_NAME}: ${(err as Error).message}`),
      );
    }
  }
}

try {
  console.log(JSON.stringify(await main(), null, 2));
} catch (err) {
  log((err as Error).stack ?? String(err));
  process.exit(1);
}
