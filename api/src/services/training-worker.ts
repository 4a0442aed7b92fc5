import PgBoss from 'pg-boss';
import type { TrainingRunner } from './training-runner';

export const TRAINING_QUEUE = 'phytodiag-retrain';

export interface TrainingWorker {
  stop(): Promise<void>;
}

interface WorkerLog {
  info(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

/**
 * Drives the runner. The poll only notices queued training_requests (written in the same
 * transaction as the validation, so none is lost); the job itself is:
 * - PostgreSQL: a pg-boss job on a 'singleton' queue (one active job across every API instance,
 *   retried and recorded by pg-boss), whose handler runs the queued requests;
 * - PGlite: the runner called in-process (one process owns an embedded database anyway).
 * In both, the request row claim refuses a second concurrent training.
 */
export async function startTrainingWorker(deps: {
  runner: TrainingRunner;
  databaseUrl: string | undefined;
  pollSeconds: number;
  log: WorkerLog;
}): Promise<TrainingWorker> {
  const { runner, log } = deps;
  const drain = async () => {
    while (await runner.runNext()) {
      // One request per iteration; validations made during a training queue the next one.
    }
  };

  let kick: () => Promise<void>;
  let boss: PgBoss | null = null;
  if (deps.databaseUrl) {
    boss = new PgBoss({ connectionString: deps.databaseUrl });
    boss.on('error', (err) => log.error({ err }, 'pg-boss error'));
    await boss.start();
    await boss.createQueue(TRAINING_QUEUE, { name: TRAINING_QUEUE, policy: 'singleton' });
    await boss.work(TRAINING_QUEUE, drain);
    const b = boss;
    kick = async () => {
      // singletonKey: while one job waits, further kicks add nothing.
      await b.send(TRAINING_QUEUE, {}, { singletonKey: 'retrain' });
    };
  } else {
    kick = drain;
  }

  let running = false;
  const tick = async () => {
    if (running) return;
    running = true;
    try {
      await kick();
    } catch (err) {
      log.error({ err }, 'training worker tick failed');
    } finally {
      running = false;
    }
  };
  const timer = setInterval(() => void tick(), deps.pollSeconds * 1000);
  timer.unref();
  void tick();
  log.info({ queue: boss ? `pg-boss:${TRAINING_QUEUE}` : 'in-process' }, 'training worker started');

  return {
    async stop() {
      clearInterval(timer);
      if (boss) await boss.stop({ graceful: true, wait: true });
    },
  };
}
