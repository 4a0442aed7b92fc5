import { join } from 'node:path';
import type { BuildOptions } from '../../src/app';
import { seedDemoUsers } from '../../src/seed/seed-demo-users';
import { seedLibrary } from '../../src/seed/seed-library';
import { buildImageBank } from './image-bank';
import { createTestApp, type TestApp } from './test-app';

/**
 * A test app whose library holds `slugs` (one real image each, no fact sheets) and whose demo
 * accounts exist with `demoPassword`: the starting point of every escalation/lab suite.
 */
export async function createSeededTestApp(seed: {
  slugs: readonly string[];
  demoPassword: string;
  env?: Record<string, string>;
  options?: BuildOptions;
}): Promise<TestApp> {
  const t = await createTestApp({ DEMO_PASSWORD: seed.demoPassword, ...seed.env }, seed.options);
  const bank = join(t.tmp, 'bank');
  await buildImageBank(bank, seed.slugs, 1);
  // A folder that does not exist: no fact sheets, entries are seeded with factSheet = null.
  await seedLibrary(t.app.db, t.app.media, { imagebankDir: bank, factSheetsDir: join(t.tmp, 'x') });
  await seedDemoUsers(t.app.services.auth, t.app.repos, seed.demoPassword);
  return t;
}
