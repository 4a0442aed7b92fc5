import closeWithGrace from 'close-with-grace';
import { buildApp } from './app';
import { ConfigError, loadConfig } from './config';
import { prepareData } from './startup';
import { startRetentionSchedule } from './services/retention-schedule';
import { startStatisticsSchedule } from './services/statistics-schedule';

let config;
try {
  config = loadConfig();
} catch (err) {
  console.error(err instanceof ConfigError ? err.message : err);
  process.exit(1);
}

const app = await buildApp(config);
const stopSchedules: (() => void)[] = [];

closeWithGrace({ delay: 10_000 }, async ({ signal, err }) => {
  if (err) app.log.error({ err }, 'closing after an error');
  else app.log.info({ signal }, 'shutting down');
  for (const stop of stopSchedules) stop();
  await app.close();
});

try {
  await prepareData(app);
  stopSchedules.push(startRetentionSchedule(app), startStatisticsSchedule(app));
  if (config.trainingWorker) await app.training.startWorker();
  await app.listen({ port: config.port, host: config.host });
} catch (err) {
  app.log.fatal({ err }, 'startup failed');
  await app.close();
  process.exit(1);
}
