import { describe, expect, it } from 'vitest';
import type { DecodedImage } from '../src/node/decode';
import { AUGMENTATIONS, augmentedInput } from '../src/train/augment';
import { INPUT_SIZE, preprocessRgba } from '../src/preprocess';

/** A 200×160 magenta photo: no ground tone is anywhere near it, so its pixels can be counted. */
function magenta(): DecodedImage {
  const width = 200;
  const height = 160;
  const pixels = new Uint8Array(width * height * 3);
  for (let i = 0; i < pixels.length; i += 3) {
    pixels[i] = 230;
    pixels[i + 1] = 20;
    pixels[i + 2] = 230;
  }
  return { pixels, width, height, channels: 3 };
}

/** Share of the model input's pixels that are still magenta (values in [-1, 1]). */
function subjectShare(x: Float32Array): number {
  let n = 0;
  for (let i = 0; i < x.length; i += 3) if (x[i] - x[i + 1] > 0.8 && x[i + 2] - x[i + 1] > 0.8) n++;
  return n / (INPUT_SIZE * INPUT_SIZE);
}

describe('training augmentations', () => {
  it('are part of the embedding cache key, field view included', () => {
    expect(AUGMENTATIONS).toContain('fieldview-v2');
  });

  it('leave the original untouched', () => {
    const img = magenta();
    expect(augmentedInput(img, 'orig', 'a')).toEqual(
      preprocessRgba(img.pixels, img.width, img.height, 3),
    );
  });

  it('field view: the photo smaller in the frame, on a textured ground', () => {
    const img = magenta();
    const shares: number[] = [];
    for (const sha of ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h']) {
      const x = augmentedInput(img, 'fieldview-v2', sha);
      expect(x).toHaveLength(INPUT_SIZE * INPUT_SIZE * 3);
      expect(x.every((v) => v >= -1 && v <= 1)).toBe(true);
      shares.push(subjectShare(x));
      // The ground is not one flat colour: its green channel varies.
      const greens = new Set<number>();
      for (let i = 1; i < x.length; i += 3) if (x[i - 1] - x[i] <= 0.8) greens.add(x[i]);
      expect(greens.size).toBeGreaterThan(50);
    }
    // Side 60–90 % of the frame → 36–81 % of the area, less the feathered edge.
    for (const s of shares) {
      expect(s).toBeGreaterThan(0.25);
      expect(s).toBeLessThan(0.82);
    }
    expect(Math.max(...shares) - Math.min(...shares)).toBeGreaterThan(0.1);
  });

  it('field view is a pure function of (image, sha): cached embeddings stay valid', () => {
    const img = magenta();
    expect(augmentedInput(img, 'fieldview-v2', 'abc')).toEqual(
      augmentedInput(img, 'fieldview-v2', 'abc'),
    );
    expect(augmentedInput(img, 'fieldview-v2', 'abc')).not.toEqual(
      augmentedInput(img, 'fieldview-v2', 'abd'),
    );
  });
});
