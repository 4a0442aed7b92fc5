import type { FastifyBaseLogger } from 'fastify';

/**
 * Runs `job` now and then every `everyMs` (server start-up only). A failure is logged and the
 * next run still happens. The timer is unref'd so it never keeps the process alive; the returned
 * function stops it.
 */
export function startPeriodicJob(
  log: FastifyBaseLogger,
  name: string,
  everyMs: number,
  job: () => Promise<Record<string, unknown>>,
): () => void {
  const run = async () => {
    try {
      log.info(await job(), `${name} done`);
    } catch (err) {
      log.error({ err }, `${name} failed`);
    }
  };
  void run();
  const timer = setInterval(() => void run(), everyMs);
  timer.unref();
  return () => clearInterval(timer);
}
