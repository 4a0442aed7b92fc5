import { createReadStream } from 'node:fs';
import { mkdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Readable } from 'node:stream';
import { randomBytes } from 'node:crypto';
import { parsePublicKey } from './media-keys';

/**
 * Where encoded image variants live. Keys are public keys (see media-keys.ts); a driver refuses
 * any other key (put throws, has/open answer "absent") so no caller mistake can reach outside its
 * root. An S3 driver only has to implement these three methods and pass
 * api/test/scale/media-store-contract.ts.
 */
export interface MediaStore {
  put(key: string, data: Buffer): Promise<void>;
  has(key: string): Promise<boolean>;
  /** null when absent. */
  open(key: string): Promise<{ stream: Readable; size: number } | null>;
  /** Removes the object; absent is fine (idempotent). A non-public key is refused (throws). */
  delete(key: string): Promise<void>;
}

/** Local disk, sharded by the first two hex characters to keep folders small. */
export function createDiskMediaStore(root: string): MediaStore {
  const pathOf = (key: string) => join(root, key.slice(0, 2), key);
  const valid = (key: string) => parsePublicKey(key) !== null;
  return {
    async put(key, data) {
      if (!valid(key)) throw new Error(`invalid media key ${JSON.stringify(key.slice(0, 80))}`);
      const target = pathOf(key);
      await mkdir(dirname(target), { recursive: true });
      // Write then rename: a reader never sees a half-written file, and concurrent writers of
      // the same content-addressed key both end with the same bytes.
      const tmp = `${target}.${randomBytes(6).toString('hex')}.tmp`;
      await writeFile(tmp, data);
      await rename(tmp, target);
    },
    async has(key) {
      if (!valid(key)) return false;
      try {
        return (await stat(pathOf(key))).isFile();
      } catch {
        return false;
      }
    },
    async open(key) {
      if (!valid(key)) return null;
      try {
        const info = await stat(pathOf(key));
        if (!info.isFile()) return null;
        return { stream: createReadStream(pathOf(key)), size: info.size };
      } catch {
        return null;
      }
    },
    async delete(key) {
      if (!valid(key)) throw new Error(`invalid media key ${JSON.stringify(key.slice(0, 80))}`);
      // force: an absent file is not an error (a retried deletion, or never written).
      await rm(pathOf(key), { force: true });
    },
  };
}
