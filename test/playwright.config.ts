import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  symlinkSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from '@playwright/test';
import { startMailCatcher } from './e2e/mail-catcher';

// The orchestrator builds web/dist beforehand; the API serves it (COOP/COEP, CSP) like production.
const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const port = Number(process.env.E2E_PORT ?? 18090);
// One scratch folder per run, made by the runner and inherited by its workers (which load this
// file again). Under `npm test` it sits in the run's TMPDIR, removed when the run ends.
const scratch = (process.env.E2E_TMP_DIR ??= mkdtempSync(join(tmpdir(), 'phytodiag-e2e-')));
const dataDir = join(scratch, 'data');

/**
 * The server's own MODEL_DIR: every version of the trained model linked (read-only), the pointer
 * copied. Specs may publish a version or roll back there (model-update.spec.ts) without touching
 * the repository's model/dist. Made once, in the runner process; workers inherit the variable.
 */
function mirrorModelDir(source: string): string {
  const dir = join(scratch, 'models');
  mkdirSync(dir, { recursive: true });
  if (!existsSync(source)) return dir;
  for (const e of readdirSync(source, { withFileTypes: true })) {
    if (e.isDirectory() && !e.name.startsWith('.')) {
      symlinkSync(join(source, e.name), join(dir, e.name), 'dir');
    }
  }
  if (existsSync(join(source, 'current.json'))) {
    copyFileSync(join(source, 'current.json'), join(dir, 'current.json'));
  }
  return dir;
}
// The server's e-mails (password reset links) land in a folder the specs read. Started once, by
// the runner; the workers inherit E2E_MAIL_DIR and only read. (port + 1 is outbox-faults.spec's.)
const smtpPort = port + 2;
if (process.env.E2E_MAIL_DIR === undefined) {
  process.env.E2E_MAIL_DIR = join(scratch, 'mail');
  startMailCatcher(smtpPort, process.env.E2E_MAIL_DIR);
}
process.env.E2E_MODEL_DIR ??= mirrorModelDir(
  resolve(root, process.env.MODEL_DIR ?? join('model', 'dist')),
);

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
    // The phones and the lab are in Quebec: dates, weeks and « today » read on Quebec's clock, as
    // the lab's (SERVICE_TIMEZONE), whatever the host's zone (UTC in CI).
    timezoneId: 'America/Toronto',
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
      MODEL_DIR: process.env.E2E_MODEL_DIR,
      // Not 'production': the API seeds the demo accounts (specialiste@demo.local) only outside it.
      NODE_ENV: 'test',
      // A few reference images per class are enough for the UI and keep start-up short.
      SEED_MAX_IMAGES_PER_CLASS: process.env.SEED_MAX_IMAGES_PER_CLASS ?? '4',
      // The lab spec validates bank photos, which queues a retraining: a model retrained on this
      // small seed must not replace the served model halfway through the suite.
      TRAINING_WORKER: 'false',
      // The specs sign the demo specialist in a dozen times within a minute (each a new browser);
      // the per-account limit of the field (10 a minute) would refuse them. Tested in the API suite.
      LOGIN_RATE_LIMIT_MAX: '100',
      // About thirty accounts are made from 127.0.0.1 in the suite, near the hourly limit of one address.
      REGISTER_RATE_LIMIT_MAX: '1000',
      SMTP_URL: `smtp://127.0.0.1:${smtpPort}`,
      PUBLIC_URL: `http://127.0.0.1:${port}`,
    },
  },
});
