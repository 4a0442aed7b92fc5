import type { App } from '../app';

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Runs the retention purge now and then once a day (server start-up only: tests call
 * services.privacy.purge directly). The timer is unref'd so it never keeps the process alive;
 * the returned function stops it.
 */
export function startRetentionSchedule(app: App, everyMs = DAY_MS): () => void {
  const run = async () => {
    try {
      const purged = await app.services.privacy.purge();
      app.log.info({ purged }, 'retention purge done');
    } catch (err) {
      app.log.error({ err }, 'retention purge failed');
    }
  };
  void run();
  const timer = setInterval(() => void run(), everyMs);
  timer.unref();
  return () => clearInterval(timer);
}
