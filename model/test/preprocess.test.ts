import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { centreSquare, INPUT_SIZE, preprocessRgba } from '../src/preprocess';
import { decodeImage } from '../src/node/decode';
import { initTf, tf } from '../src/node/tf-backend';
import { BANK, SKIMAGE, hasSkimage } from './fixtures';

beforeAll(async () => {
  await initTf();
});

async function reference(path: string): Promise<Float32Array> {
  const img = await decodeImage(path);
  const sq = centreSquare(img.width, img.height);
  return tf.tidy(() => {
    const t = tf.tensor3d(img.pixels, [img.height, img.width, 3], 'float32');
    const crop = tf.slice(t, [sq.y, sq.x, 0], [sq.height, sq.width, 3]);
    const resized = tf.image.resizeBilinear(crop, [INPUT_SIZE, INPUT_SIZE], false, true);
    return tf.sub(tf.div(resized, 127.5), 1).dataSync() as Float32Array;
  });
}

describe('preprocessRgba', () => {
  const files = [join(BANK, 'apple_scab', '001.jpg'), join(BANK, 'insect_armyworm', '001.jpg')];
  if (hasSkimage) files.push(join(SKIMAGE, 'chelsea.png')); // 451×300: non-square crop path

  it.each(files)('matches tf.image.resizeBilinear on the centre crop: %s', async (file) => {
    const img = await decodeImage(file);
    const ours = preprocessRgba(img.pixels, img.width, img.height, 3);
    const ref = await reference(file);
    expect(ours.length).toBe(INPUT_SIZE * INPUT_SIZE * 3);
    let maxDiff = 0;
    for (let i = 0; i < ours.length; i++) maxDiff = Math.max(maxDiff, Math.abs(ours[i] - ref[i]));
    expect(maxDiff).toBeLessThan(1e-3);
    expect(ours.every((v) => v >= -1 && v <= 1)).toBe(true);
  });

  it('gives exactly equal numbers for two decodes of the same file', async () => {
    const a = await decodeImage(files[1]);
    const b = await decodeImage(files[1]);
    expect(preprocessRgba(a.pixels, a.width, a.height, 3)).toEqual(
      preprocessRgba(b.pixels, b.width, b.height, 3),
    );
  });

  it('ignores alpha: RGBA and RGB inputs give the same result', () => {
    const w = 5;
    const h = 3;
    const rgb = Uint8Array.from({ length: w * h * 3 }, (_, i) => (i * 37) % 256);
    const rgba = new Uint8ClampedArray(w * h * 4);
    for (let p = 0; p < w * h; p++) {
      rgba.set(rgb.subarray(p * 3, p * 3 + 3), p * 4);
      rgba[p * 4 + 3] = (p * 91) % 256;
    }
    expect(preprocessRgba(rgba, w, h, 4)).toEqual(preprocessRgba(rgb, w, h, 3));
  });

  it('rejects a pixel buffer of the wrong size', () => {
    expect(() => preprocessRgba(new Uint8Array(10), 2, 2, 3)).toThrow(/expected 12/);
  });
});
