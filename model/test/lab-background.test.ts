import { describe, expect, it } from 'vitest';
import type { DecodedImage } from '../src/node/decode';
import { labBackgroundMask, softenMask } from '../src/train/lab-background';

const SIZE = 64;

/** A photo drawn pixel by pixel: colour(x, y) → RGB. */
function photo(colour: (x: number, y: number) => [number, number, number]): DecodedImage {
  const pixels = new Uint8Array(SIZE * SIZE * 3);
  for (let y = 0; y < SIZE; y++)
    for (let x = 0; x < SIZE; x++) pixels.set(colour(x, y), (y * SIZE + x) * 3);
  return { pixels, width: SIZE, height: SIZE, channels: 3 };
}

const inLeaf = (x: number, y: number): boolean => Math.hypot(x - 32, y - 32) < 20;
const inLesion = (x: number, y: number): boolean => Math.hypot(x - 32, y - 32) < 6;

/** Grey paper, darker toward one side (a lamp), a green leaf with a grey-brown lesion inside. */
const labLeaf = photo((x, y) => {
  if (inLesion(x, y)) return [120, 112, 104];
  if (inLeaf(x, y)) return [70, 130, 50];
  const shade = Math.round(x * 0.6);
  return [170 - shade, 170 - shade, 175 - shade];
});

describe('labBackgroundMask', () => {
  it('marks the lab paper, shadow gradient included, and keeps the leaf and its grey lesion', () => {
    const mask = labBackgroundMask(labLeaf);
    expect(mask).not.toBeNull();
    let wrong = 0;
    let paper = 0;
    for (let y = 0; y < SIZE; y++) {
      for (let x = 0; x < SIZE; x++) {
        // Growing runs on a smoothed copy, so it stops a few pixels short of the leaf's edge.
        if (Math.abs(Math.hypot(x - 32, y - 32) - 20) <= 3) continue;
        const expected = inLeaf(x, y) ? 0 : 1;
        if (mask?.[y * SIZE + x] !== expected) wrong++;
        paper += expected;
      }
    }
    expect(paper).toBeGreaterThan(2000);
    expect(wrong).toBe(0);
    // The lesion is as grey as the paper but not connected to it: it stays leaf.
    expect(mask?.[32 * SIZE + 32]).toBe(0);
  });

  it('finds no lab background behind a leaf in foliage or a photo the leaf fills', () => {
    const foliage = photo((x, y) =>
      inLeaf(x, y) ? [70, 130, 50] : [40 + ((x * 7 + y * 13) % 50), 90 + ((x * 11) % 60), 30],
    );
    expect(labBackgroundMask(foliage)).toBeNull();
    const filled = photo((x, y) => ((x + y) % 9 < 2 ? [150, 120, 60] : [70, 130, 50]));
    expect(labBackgroundMask(filled)).toBeNull();
  });

  it('softens the mask edge into an alpha between 0 and 1', () => {
    const mask = labBackgroundMask(labLeaf) as Uint8Array;
    const alpha = softenMask(mask, SIZE, SIZE);
    expect(alpha[0]).toBe(1);
    expect(alpha[32 * SIZE + 32]).toBe(0);
    const edge = alpha[32 * SIZE + 12]; // the leaf's left edge (radius 20 around x = 32)
    expect(edge).toBeGreaterThan(0);
    expect(edge).toBeLessThan(1);
  });
});
