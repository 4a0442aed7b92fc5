#!/usr/bin/env node
// `npm start`: everything a new user needs on a fresh machine, in order:
// build the PWA if its sources changed, train the classifier if no model exists,
// then start the API (which migrates the embedded database, seeds the library and the
// demo accounts, and serves the PWA). Each step is skipped when its output is up to date.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { bin, repoRoot, run } from './lib/run.mjs';

const fromRoot = (value, fallback) => resolve(repoRoot, value ?? fallback);
const webDist = fromRoot(process.env.WEB_DIST_DIR, 'web/dist');
const modelDir = fromRoot(process.env.MODEL_DIR, 'model/dist');

/** Newest modification time below a folder (files only). */
function newestMtime(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
}

function webIsStale() {
  const index = join(webDist, 'index.html');
  if (!existsSync(index)) return true;
  const built = statSync(index).mtimeMs;
  const sources = ['web/src', 'web/public', 'web/index.html', 'web/vite.config.ts', 'model/src']
    .map((p) => resolve(repoRoot, p))
    .filter((p) => existsSync(p))
    .map((p) => (statSync(p).isDirectory() ? newestMtime(p) : statSync(p).mtimeMs));
  return sources.some((mtime) => mtime > built);
}

async function step(label, command, args) {
  console.log(`\n▶ ${label}`);
  const code = await run(command, args);
  if (code !== 0) {
    console.error(`✖ ${label} failed (exit ${code})`);
    process.exit(code);
  }
}

if (webIsStale()) await step('Building the PWA (web/)', 'npm', ['run', 'build']);
else console.log('✔ PWA build is up to date');

if (!existsSync(join(modelDir, 'current.json'))) {
  await step('Training the classifier on the image bank (first start only)', 'npm', [
    'run',
    'model:train',
  ]);
} else console.log('✔ A trained model exists');

console.log('\n▶ Starting the API (migrations, seed, PWA) …');
const code = await run(bin('tsx'), ['api/src/server.ts']);
process.exit(code);
