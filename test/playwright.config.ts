import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from '@playwright/test';

// The orchestrator builds web/dist beforehand; the API serves it (COOP/COEP, CSP) like production.
const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const port = Number(process.env.E2E_PORT ?? 18090);
const dataDir = mkdtempSync(join(tmpdir(), 'phytodiag-e2e-'));

export default defineConfig({
  testDir: './e2e',
  workers: 1,
  fullyParallel: false,
  retries: 0,
  timeout: 120_000,
  expect: { timeout: 20_000 },
  reporter: [['list']],
  outputDir: join(root, 'test-results'),
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    locale: 'fr-CA',
    serviceWorkers: 'allow',
    viewport: { width: 412, height: 915 },
    screenshot: 'only-on-failure',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    },
  },
  webServer: {
    command: 'npx tsx api/src/server.ts',
    cwd: root,
    url: `http://127.0.0.1:${port}/api/health`,
    reuseExistingServer: false,
    timeout: 240_000,
    stdout: 'ignore',
    stderr: 'pipe',
    env: {
      PORT: String(port),
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      // Not 'production': the API seeds the demo accounts (specialiste@demo.local) only outside it.
      NODE_ENV: 'test',
      // A few reference images per class are enough for the UI and keep start-up short.
      SEED_MAX_IMAGES_PER_CLASS: process.env.SEED_MAX_IMAGES_PER_CLASS ?? '4',
      // The lab spec validates bank photos, which queues a retraining: a model retrained on this
      // small seed must not replace the served model halfway through the suite.
      TRAINING_WORKER: 'false',
    },
  },
});
