// `npm run db:generate-detections -- [--count 20000] [--seed 1] [--weeks 104] [--last-week YYYY-MM-DD]
//   [--replace]`: realistic synthetic detections (seasonal per class, weighted towards the
// agricultural regions, ~7 % abstentions, ~8 % lab-confirmed) written to the configured database
// (DATABASE_URL, else PGlite in DATA_DIR), raw rows in multi-row batches, then both rollups
// rebuilt with one INSERT … SELECT GROUP BY. Same seed and options, same rows. Prints one JSON
// line. --replace first deletes every existing detection (and the rollups).
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from '../api/src/config';
import { createDb } from '../api/src/db/create-db';
import { migrate } from '../api/src/db/migrate';
import { weekOf } from '../api/src/lib/iso-week';
import { generatorClasses, loadDetections, readMrcs } from '../api/src/seed/load-detections';

const { values } = parseArgs({
  options: {
    count: { type: 'string', default: '20000' },
    seed: { type: 'string', default: '1' },
    weeks: { type: 'string', default: '104' },
    'last-week': { type: 'string' },
    replace: { type: 'boolean', default: false },
    json: { type: 'boolean', default: false },
  },
});

function positive(name: string, raw: string): number {
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0)
    throw new Error(`--${name} must be a whole number (got ${raw})`);
  return n;
}

try {
  const config = loadConfig();
  const count = positive('count', values.count);
  const seed = positive('seed', values.seed);
  const weeks = Math.max(1, positive('weeks', values.weeks));
  const lastWeek = values['last-week'] ?? weekOf(new Date(), config.serviceTimezone);
  const db = await createDb(config);
  try {
    await migrate(db);
    if (values.replace) {
      await db.exec(
        'DELETE FROM detections; DELETE FROM detection_weekly; DELETE FROM detection_weekly_reports;',
      );
    }
    const classes = await generatorClasses(db, config.imagebankDir);
    const mrcs = await readMrcs(config.geoDir);
    const started = performance.now();
    let last = 0;
    const inserted = await loadDetections(
      db,
      { seed, count, classes, mrcs, lastWeek, weeks },
      5000,
      (done) => {
        if (done - last >= 100_000) {
          last = done;
          process.stderr.write(`[generate-detections] ${done} / ${count}\n`);
        }
      },
    );
    // A bulk load leaves the visibility map unset until autovacuum passes: until then the
    // public view and the context priors read the heap instead of their covering index (3×
    // slower on 1 M rows). Done now, as part of the load.
    await db.exec('VACUUM ANALYZE detections');
    const seconds = (performance.now() - started) / 1000;
    console.log(
      JSON.stringify({
        db: db.kind,
        generated: inserted,
        seed,
        weeks,
        lastWeek,
        classes: classes.length,
        seconds: Math.round(seconds * 10) / 10,
      }),
    );
  } finally {
    await db.close();
  }
} catch (err) {
  console.error(err instanceof ConfigError || err instanceof Error ? err.message : err);
  process.exit(1);
}
