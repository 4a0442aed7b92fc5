import { createReadStream } from 'node:fs';
import { readFile, realpath, stat } from 'node:fs/promises';
import { extname, join, sep } from 'node:path';
import type { Readable } from 'node:stream';
import { AppError } from '../errors';
import type { Repositories } from '../repositories';
import type { ModelManifest } from '../contract/model';

const VERSION = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;

const CONTENT_TYPES: Record<string, string> = {
  '.json': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
};

async function readJson(path: string): Promise<unknown> {
  return JSON.parse(await readFile(path, 'utf8'));
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A manifest's `created` as an ISO instant, or null when absent or not a date. */
export function trainedAt(created: unknown): string | null {
  if (typeof created !== 'string') return null;
  const ms = Date.parse(created);
  return Number.isNaN(ms) ? null : new Date(ms).toISOString();
}

/**
 * Reads MODEL_DIR as written by the model package (current.json → <version>/manifest.json).
 * Read on each call: a newly exported model is served without restarting the API.
 */
export function createModelService(deps: { modelDir: string; repos: Repositories }) {
  const { modelDir, repos } = deps;

  async function currentVersion(): Promise<string | null> {
    try {
      const pointer = await readJson(join(modelDir, 'current.json'));
      if (
        isRecord(pointer) &&
        typeof pointer.version === 'string' &&
        VERSION.test(pointer.version)
      ) {
        return pointer.version;
      }
      return null;
    } catch {
      return null;
    }
  }

  // A version folder never changes once exported (files are served immutable), so its parsed
  // manifest can be kept; only current.json, the pointer, is read on every call.
  const manifests = new Map<string, ModelManifest>();

  async function manifest(): Promise<ModelManifest> {
    const version = await currentVersion();
    if (!version) throw new AppError('MODEL_NOT_AVAILABLE');
    const known = manifests.get(version);
    if (known) return known;
    let raw: unknown;
    try {
      raw = await readJson(join(modelDir, version, 'manifest.json'));
    } catch {
      throw new AppError('MODEL_NOT_AVAILABLE');
    }
    if (!isRecord(raw) || !Array.isArray(raw.files) || !Array.isArray(raw.classes)) {
      throw new AppError('MODEL_NOT_AVAILABLE');
    }
    const parsed = { ...raw, version, baseUrl: `/models/${version}/` } as ModelManifest;
    manifests.set(version, parsed);
    return parsed;
  }

  /**
   * What a version's folder may serve: its manifest and the files the manifest lists (what a
   * device downloads). The rest of an export, e.g. eval/knn-train.json (embeddings of training
   * photos, some from cases given with consent), is for the evaluation CLI, not for the public.
   */
  const servable = new Map<string, Set<string>>();
  async function isServable(version: string, path: string): Promise<boolean> {
    if (path === 'manifest.json') return true;
    let files = servable.get(version);
    if (!files) {
      try {
        const raw = await readJson(join(modelDir, version, 'manifest.json'));
        const listed = isRecord(raw) && Array.isArray(raw.files) ? raw.files : [];
        files = new Set(
          listed.flatMap((f: unknown) =>
            isRecord(f) && typeof f.path === 'string' ? [f.path] : [],
          ),
        );
      } catch {
        return false;
      }
      servable.set(version, files);
    }
    return files.has(path);
  }

  return {
    currentVersion,
    manifest,

    /**
     * Opens a file of a model version; null if absent, outside that version's folder, or not
     * listed in its manifest.
     */
    async openFile(
      version: string,
      path: string,
    ): Promise<{ stream: Readable; size: number; contentType: string } | null> {
      if (!VERSION.test(version)) return null;
      const segments = path.split('/');
      if (segments.some((s) => s === '' || s === '.' || s === '..' || s.includes('\\')))
        return null;
      if (!(await isServable(version, path))) return null;
      try {
        const root = await realpath(join(modelDir, version));
        // realpath also defeats symlinks pointing outside the version folder.
        const file = await realpath(join(root, ...segments));
        if (!file.startsWith(root + sep)) return null;
        const info = await stat(file);
        if (!info.isFile()) return null;
        return {
          stream: createReadStream(file),
          size: info.size,
          // Weight shards have no extension: opaque bytes.
          contentType: CONTENT_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream',
        };
      } catch {
        return null;
      }
    },

    /** Records the served model in model_versions; returns its version or null. */
    async registerCurrent(): Promise<string | null> {
      try {
        const m = await manifest();
        await repos.modelVersions.setCurrent(m.version, m.metrics ?? null, trainedAt(m.created));
        return m.version;
      } catch (err) {
        if (err instanceof AppError) return null;
        throw err;
      }
    },
  };
}
export type ModelService = ReturnType<typeof createModelService>;
