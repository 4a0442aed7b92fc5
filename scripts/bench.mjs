#!/usr/bin/env node
// `npm run bench`: runs every package benchmark that exists and prints ONE JSON object
// { model: {...}, web: {...}, ... } on stdout (progress goes to stderr).
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from './lib/run.mjs';

const scripts = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')).scripts;
const benches = Object.keys(scripts).filter((name) => name.startsWith('bench:'));

function capture(name) {
  return new Promise((done) => {
    const child = spawn('npm', ['run', '-s', name, '--', '--json'], {
      cwd: repoRoot,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (chunk) => (out += chunk));
    child.on('exit', (code) => {
      try {
        done(code === 0 ? JSON.parse(out) : { error: `exit ${code}` });
      } catch {
        done({ error: 'benchmark did not print JSON', output: out.slice(0, 500) });
      }
    });
  });
}

const results = {};
for (const name of benches) {
  console.error(`▶ ${name}`);
  results[name.slice('bench:'.length)] = await capture(name);
}
console.log(JSON.stringify(results, null, 2));
