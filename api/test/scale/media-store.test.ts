import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createDiskMediaStore } from '../../src/media/media-store';
import { HOSTILE_KEYS, mediaStoreContract } from './media-store-contract';

// The default driver. No S3-compatible server can be installed offline here (no Debian minio
// package; the npm fakes were not added as dependencies), so a future S3 driver is held to this
// same contract by adding one mediaStoreContract('s3', ...) call against a test bucket.
mediaStoreContract('local disk', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'phytodiag-store-'));
  return {
    store: createDiskMediaStore(join(dir, 'root')),
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
});

describe('local disk store: hostile keys write nothing anywhere', () => {
  it('after every refused put, only the root folder exists next to it, and it is empty', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'phytodiag-store-'));
    try {
      const store = createDiskMediaStore(join(dir, 'a', 'root'));
      for (const key of HOSTILE_KEYS) await store.put(key, Buffer.from('x')).catch(() => undefined);
      expect(await readdir(dir, { recursive: true })).toEqual([]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
