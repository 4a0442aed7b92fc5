import type { App } from '../app';
import { startPeriodicJob } from './periodic-job';

const HOUR_MS = 60 * 60 * 1000;

/**
 * PGlite runs no autovacuum, so without this its tables never get the column statistics the
 * planner needs (it then guesses, e.g., one case per user). ANALYZE samples at most 30 000 rows
 * per table: a fraction of a second on the demo database, once an hour. On PostgreSQL the
 * server's autovacuum does this job, so nothing is scheduled.
 */
export function startStatisticsSchedule(app: App, everyMs = HOUR_MS): () => void {
  if (app.db.kind !== 'pglite') return () => undefined;
  return startPeriodicJob(app.log, 'planner statistics (ANALYZE)', everyMs, async () => {
    const started = performance.now();
    await app.db.exec('ANALYZE');
    return { ms: Math.round(performance.now() - started) };
  });
}
