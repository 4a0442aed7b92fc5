// Environment-driven locations (docs/architecture.md). Relative values resolve against the
// repository root, never the current directory, because `npm -w` changes the cwd.
import { dirname, isAbsolute, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

function fromEnv(name: string, fallback: string): string {
  const value = process.env[name];
  const chosen = value && value.trim() !== '' ? value : fallback;
  return isAbsolute(chosen) ? chosen : resolve(REPO_ROOT, chosen);
}

export const paths = {
  get imagebankDir(): string {
    return fromEnv('IMAGEBANK_DIR', '../shared/data/imagebank');
  },
  get backboneDir(): string {
    return fromEnv('BACKBONE_DIR', '../shared/models/mobilenet_v1_0.75_224');
  },
  get modelDir(): string {
    return fromEnv('MODEL_DIR', './model/dist');
  },
  get cacheDir(): string {
    return fromEnv('MODEL_CACHE_DIR', './model/.cache');
  },
};

/** Resolves a user-given path (CLI argument) the same way as the env variables. */
export function resolveFromRoot(p: string): string {
  return isAbsolute(p) ? p : resolve(REPO_ROOT, p);
}
