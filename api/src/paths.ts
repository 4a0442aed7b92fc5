import { dirname, isAbsolute, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Repository root (api/src/paths.ts → ../..), independent of the current directory. */
export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const API_ROOT = resolve(REPO_ROOT, 'api');

/** Resolve a configured path: absolute stays, relative is taken from the repository root. */
export function fromRepoRoot(path: string): string {
  return isAbsolute(path) ? path : resolve(REPO_ROOT, path);
}
