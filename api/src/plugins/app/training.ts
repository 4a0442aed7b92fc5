import fp from 'fastify-plugin';
import {
  createModelVersionsService,
  type ModelVersionsService,
} from '../../services/training-models';
import {
  createTrainingRunner,
  type TrainingOptions,
  type TrainingRunner,
} from '../../services/training-runner';
import { startTrainingWorker } from '../../services/training-worker';

declare module 'fastify' {
  interface FastifyInstance {
    training: {
      runner: TrainingRunner;
      versions: ModelVersionsService;
      /** Starts the background worker (server start-up when TRAINING_WORKER is on). */
      startWorker(): Promise<void>;
    };
  }
}

/** The model learns: the retraining runner, its worker, and the trained versions. */
export default fp<{ trainingOptions?: TrainingOptions }>(
  async (app, opts) => {
    const { config } = app;
    const runner = createTrainingRunner({
      db: app.db,
      media: app.media,
      modelDir: config.modelDir,
      backboneDir: config.backboneDir,
      cacheDir: config.modelCacheDir,
      options: opts.trainingOptions,
      log: app.log,
    });
    let stop: (() => Promise<void>) | null = null;
    app.decorate('training', {
      runner,
      versions: createModelVersionsService({ db: app.db, modelDir: config.modelDir }),
      async startWorker() {
        if (stop) return;
        const worker = await startTrainingWorker({
          runner,
          databaseUrl: config.databaseUrl,
          pollSeconds: config.trainingPollSeconds,
          log: app.log,
        });
        stop = () => worker.stop();
      },
    });
    // Before the database closes (onClose hooks run in reverse registration order).
    app.addHook('onClose', async () => {
      if (stop) await stop();
    });
  },
  { name: 'training', dependencies: ['db', 'media'] },
);
