import { createReadStream } from 'node:fs';
import { mkdir, rename, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Readable } from 'node:stream';
import { randomBytes } from 'node:crypto';

/**
 * Where encoded image variants live. Keys are already validated public keys
 * (see media-keys.ts); an S3 driver only has to implement these three methods.
 */
export interface MediaStore {
  put(key: string, data: Buffer): Promise<void>;
  has(key: string): Promise<boolean>;
  /** null when absent. */
  open(key: string): Promise<{ stream: Readable; size: number } | null>;
}

/** Local disk, sharded by the first two hex characters to keep folders small. */
export function createDiskMediaStore(root: string): MediaStore {
  const pathOf = (key: string) => join(root, key.slice(0, 2), key);
  return {
    async put(key, data) {
      const target = pathOf(key);
      await mkdir(dirname(target), { recursive: true });
      // Write then rename: a reader never sees a half-written file, and concurrent writers of
      // the same content-addressed key both end with the same bytes.
      const tmp = `${target}.${randomBytes(6).toString('hex')}.tmp`;
      await writeFile(tmp, data);
      await rename(tmp, target);
    },
    async has(key) {
      try {
        return (await stat(pathOf(key))).isFile();
      } catch {
        return false;
      }
    },
    async open(key) {
      try {
        const info = await stat(pathOf(key));
        if (!info.isFile()) return null;
        return { stream: createReadStream(pathOf(key)), size: info.size };
      } catch {
        return null;
      }
    },
  };
}
