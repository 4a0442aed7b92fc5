import type { App } from '../app';
import { startPeriodicJob } from './periodic-job';

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * The retention purge now and then once a day (tests call services.privacy.purge directly).
 * Returns the function that stops it.
 */
export function startRetentionSchedule(app: App, everyMs = DAY_MS): () => void {
  return startPeriodicJob(app.log, 'retention purge', everyMs, async () => ({
    purged: await app.services.privacy.purge(),
  }));
}
