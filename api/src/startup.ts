import type { App } from './app';
import { seedDemoUsers, DEMO_ACCOUNTS } from './seed/seed-demo-users';
import { seedLibrary } from './seed/seed-library';
import { seedDemoDetections } from './seed/seed-demo-detections';
import { seedDemoCases } from './seed/seed-demo-cases';

/** What a server start does after migrations: model registration, library seed, demo users. */
export async function prepareData(app: App): Promise<void> {
  const { config, log } = app;

  const version = await app.services.model.registerCurrent();
  log.info({ model: version }, version ? 'current model registered' : 'no model exported yet');

  if (config.seedOnStart) {
    log.info({ imagebankDir: config.imagebankDir }, 'seeding library');
    const report = await seedLibrary(app.db, app.media, {
      imagebankDir: config.imagebankDir,
      maxImagesPerClass: config.seedMaxImagesPerClass,
      log,
    });
    log.info(report, 'library seeded');
  }

  if (config.demoMode) {
    await seedDemoUsers(app.services.auth, app.repos, config.demoPassword);
    log.info(
      {
        accounts: DEMO_ACCOUNTS.map((a) => `${a.email} (${a.role})`),
        password: 'DEMO_PASSWORD',
      },
      'demo accounts ready',
    );
    const detections = await seedDemoDetections(app.db, config);
    if (detections > 0) log.info({ detections }, 'demo surveillance detections generated');
    // Needs the bank's photos and the library's diseases: only with the library seed.
    if (config.seedOnStart) {
      const cases = await seedDemoCases(app, version, config.demoHistory);
      if (cases.answered > 0)
        log.info({ cases: cases.answered }, 'demo answered requests dated back');
      if (cases.open > 0) log.info({ cases: cases.open }, 'demo requests put in the lab queue');
    }
    console.log(
      `\nComptes de démonstration (mot de passe : ${config.demoPassword}) :\n${DEMO_ACCOUNTS.map((a) => `  ${a.email.padEnd(24)} ${a.role}`).join('\n')}\n`,
    );
  }
}
