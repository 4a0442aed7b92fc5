// Small process helpers shared by the orchestration scripts (start, test, bench).
import { spawn } from 'node:child_process';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Runs a command with inherited stdio; resolves with its exit code (never rejects). */
export function run(command, args, options = {}) {
  return new Promise((resolvePromise) => {
    const child = spawn(command, args, {
      cwd: repoRoot,
      stdio: 'inherit',
      ...options,
      env: { ...process.env, ...options.env },
    });
    child.on('error', (error) => {
      console.error(`[run] ${command}: ${error.message}`);
      resolvePromise(127);
    });
    child.on('exit', (code, signal) => resolvePromise(code ?? (signal ? 128 : 1)));
  });
}

/** Path of a binary installed in the root node_modules. */
export const bin = (name) => resolve(repoRoot, 'node_modules', '.bin', name);
