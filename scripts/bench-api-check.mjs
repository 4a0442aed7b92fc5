#!/usr/bin/env node
// The `bench-api-quick` step of `npm test`: runs `bench:api --quick` (a few seconds per phase
// against a real API process) and fails when any phase saw a connection error, a timeout or a
// non-2xx answer. Speed targets are NOT checked here: on a shared CI machine they belong in the
// benchmark's own output, not in a pass/fail test.
import { spawn } from 'node:child_process';
import { bin, repoRoot } from './lib/run.mjs';

const PHASES = [
  'helloWorld',
  'libraryRead',
  'manifestRead',
  'escalationCreate',
  'escalationCreateGallery',
  'mixed',
];

const output = await new Promise((done) => {
  const child = spawn(bin('tsx'), ['scripts/bench-api.ts', '--quick', '--json'], {
    cwd: repoRoot,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  child.stdout.on('data', (chunk) => (out += chunk));
  child.on('error', (err) => done({ code: 127, out: err.message }));
  child.on('exit', (code, signal) => done({ code: code ?? (signal ? 128 : 1), out }));
});

let result;
try {
  result = JSON.parse(output.out);
} catch {
  console.error(
    `bench:api --quick exited ${output.code} without JSON: ${output.out.slice(0, 500)}`,
  );
  process.exit(1);
}

const problems = [];
for (const name of PHASES) {
  const phase = result[name];
  if (!phase) {
    problems.push(`${name}: missing from the output`);
    continue;
  }
  const line = `${name}: ${phase.requests} requests, ${phase.reqPerSec} req/s, p99 ${phase.latencyMs.p99} ms, ${phase.errors} errors, ${phase.non2xx} non-2xx`;
  console.log(line);
  if (phase.requests === 0) problems.push(`${name}: no request completed`);
  if (phase.errors !== 0 || phase.non2xx !== 0)
    problems.push(`${name}: ${JSON.stringify(phase.statusCodes)}`);
}
if (output.code !== 0) problems.push(`bench:api exited ${output.code}`);
for (const p of problems) console.error(`FAIL ${p}`);
process.exit(problems.length === 0 ? 0 : 1);
