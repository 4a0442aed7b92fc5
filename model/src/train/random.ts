// Seeded randomness: training must be reproducible bit for bit, so nothing uses Math.random.
import { createHash } from 'node:crypto';

/** mulberry32: tiny, fast, good enough for shuffles, dropout masks and augmentation. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function rngFrom(key: string): () => number {
  return mulberry32(createHash('sha256').update(key).digest().readUInt32LE(0));
}

/** A uniform number in [0, 1) fixed by the key (used for the split assignment). */
export function unitHash(key: string): number {
  return createHash('sha256').update(key).digest().readUInt32LE(0) / 4294967296;
}

export function shuffleInPlace<T>(items: T[], rnd: () => number): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    [items[i], items[j]] = [items[j], items[i]];
  }
  return items;
}
