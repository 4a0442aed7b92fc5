import { createHash } from 'node:crypto';
import { text } from 'node:stream/consumers';
import type { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MediaStore } from '../../src/media/media-store';

export interface StoreUnderTest {
  store: MediaStore;
  cleanup(): Promise<void>;
}

const keyOf = (seed: string, suffix = '', ext = 'jpg') =>
  `${createHash('sha256').update(seed).digest('hex')}${suffix}.${ext}`;

async function bytes(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk as Uint8Array));
  return Buffer.concat(chunks);
}

/** Keys that are not public keys: every driver must refuse them (no read, no write). */
export const HOSTILE_KEYS = [
  '',
  '../../etc/passwd',
  `../${keyOf('a')}`,
  `${keyOf('a')}/../../x.jpg`,
  `/tmp/${keyOf('a')}`,
  `ab/${keyOf('a')}`,
  `${keyOf('a')}\0.jpg`,
  `${keyOf('a').toUpperCase()}`,
  `${keyOf('a')}.exe`,
  '..',
  '%2e%2e%2fetc%2fpasswd',
];

/**
 * The behaviour every MediaStore driver must have (local disk today; an S3-compatible driver
 * tomorrow runs this same suite against its bucket): round trip, absence, idempotent content-
 * addressed writes, concurrent writers, hostile keys refused.
 */
export function mediaStoreContract(name: string, make: () => Promise<StoreUnderTest>): void {
  describe(`MediaStore contract: ${name}`, () => {
    let s: StoreUnderTest;
    beforeAll(async () => {
      s = await make();
    });
    afterAll(() => s.cleanup());

    it('put → has → open returns the same bytes and size, for every variant key shape', async () => {
      for (const [suffix, ext] of [
        ['', 'jpg'],
        ['-320', 'webp'],
        ['-96', 'webp'],
      ] as const) {
        const key = keyOf('round-trip', suffix, ext);
        const data = Buffer.from(`payload ${suffix}.${ext} ${'x'.repeat(1000)}`);
        await s.store.put(key, data);
        expect(await s.store.has(key)).toBe(true);
        const file = await s.store.open(key);
        expect(file?.size).toBe(data.length);
        expect(await bytes(file!.stream)).toEqual(data);
      }
    });

    it('a large object streams back intact', async () => {
      const key = keyOf('large');
      const data = Buffer.alloc(3 * 1024 * 1024 + 17, 7);
      data.write('head', 0);
      data.write('tail', data.length - 4);
      await s.store.put(key, data);
      const file = await s.store.open(key);
      expect(file?.size).toBe(data.length);
      expect((await bytes(file!.stream)).equals(data)).toBe(true);
    });

    it('a missing key: has → false, open → null', async () => {
      const key = keyOf('never-written');
      expect(await s.store.has(key)).toBe(false);
      expect(await s.store.open(key)).toBeNull();
    });

    it('writing the same key again (content-addressed) and concurrently leaves one whole object', async () => {
      const key = keyOf('concurrent');
      const data = Buffer.from('same content from every writer '.repeat(2000));
      await Promise.all(Array.from({ length: 8 }, () => s.store.put(key, data)));
      await s.store.put(key, data);
      const file = await s.store.open(key);
      expect(await text(file!.stream)).toBe(data.toString());
    });

    it('delete removes the object, leaves other keys, and is idempotent', async () => {
      const gone = keyOf('to-delete');
      const kept = keyOf('to-delete', '-320', 'webp');
      await s.store.put(gone, Buffer.from('bye'));
      await s.store.put(kept, Buffer.from('stay'));
      await s.store.delete(gone);
      expect(await s.store.has(gone)).toBe(false);
      expect(await s.store.open(gone)).toBeNull();
      expect(await s.store.has(kept)).toBe(true);
      await s.store.delete(gone);
      await s.store.delete(keyOf('never-written-either'));
    });

    it.each(HOSTILE_KEYS.map((k) => [JSON.stringify(k), k]))(
      'hostile key %s: put and delete refused, has → false, open → null',
      async (_label, key) => {
        await expect(s.store.put(key, Buffer.from('pwned'))).rejects.toThrow();
        await expect(s.store.delete(key)).rejects.toThrow();
        expect(await s.store.has(key)).toBe(false);
        expect(await s.store.open(key)).toBeNull();
      },
    );
  });
}
