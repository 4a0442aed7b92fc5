// Training-time augmentation, applied to decoded pixels before the shared preprocessing. Each
// augmentation is deterministic per (image sha, augmentation id) so cached embeddings stay valid.
import { centreSquare, preprocessRgba } from '../preprocess';
import type { Region } from '../preprocess';
import type { DecodedImage } from '../node/decode';
import { rngFrom } from './random';

/** Bump the suffix when an augmentation changes: it is part of the embedding cache key. */
export const AUGMENTATIONS = ['flipcrop-v1', 'bgswap-v1'] as const;
export type AugmentationId = 'orig' | (typeof AUGMENTATIONS)[number];

/** A pixel is "background black" below this max-channel value (segmented PlantVillage apples). */
const DARK = 28;
/** Only images this dark overall get their background replaced (the segmented apple leaves). */
const MIN_DARK_FRACTION = 0.15;

function randomCrop(width: number, height: number, rnd: () => number): Region {
  const sq = centreSquare(width, height);
  const side = Math.round(sq.width * (0.72 + 0.23 * rnd()));
  const x = Math.round((width - side) * rnd());
  const y = Math.round((height - side) * rnd());
  return { x, y, width: side, height: side };
}

function jitterColours(px: Uint8Array, rnd: () => number): void {
  const brightness = 0.85 + 0.3 * rnd();
  const contrast = 0.85 + 0.3 * rnd();
  const saturation = 0.8 + 0.4 * rnd();
  for (let i = 0; i < px.length; i += 3) {
    const grey = 0.299 * px[i] + 0.587 * px[i + 1] + 0.114 * px[i + 2];
    for (let k = 0; k < 3; k++) {
      let v = grey + (px[i + k] - grey) * saturation;
      v = (v - 128) * contrast + 128;
      px[i + k] = Math.max(0, Math.min(255, Math.round(v * brightness)));
    }
  }
}

/** Fraction of near-black pixels. */
export function darkFraction(img: DecodedImage): number {
  let dark = 0;
  const px = img.pixels;
  for (let i = 0; i < px.length; i += 3) {
    if (Math.max(px[i], px[i + 1], px[i + 2]) < DARK) dark++;
  }
  return dark / (img.width * img.height);
}

/**
 * Replaces a black segmentation background by a plausible one (lab grey, soil, foliage green)
 * with a gradient and noise, blending softly at the leaf edge, so that "black background" cannot
 * stand in for "apple".
 */
export function replaceDarkBackground(img: DecodedImage, rnd: () => number): Uint8Array {
  const tones: [number, number, number][] = [
    [150, 150, 150],
    [185, 182, 176],
    [112, 84, 58],
    [78, 104, 52],
    [96, 120, 140],
  ];
  const base = tones[Math.floor(rnd() * tones.length)].map((v) => v + (rnd() - 0.5) * 40);
  const gx = (rnd() - 0.5) * 60;
  const gy = (rnd() - 0.5) * 60;
  const out = new Uint8Array(img.pixels);
  const { width, height } = img;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 3;
      const m = Math.max(out[i], out[i + 1], out[i + 2]);
      if (m >= DARK + 12) continue;
      const alpha = Math.min(1, (DARK + 12 - m) / 24);
      const shade = (gx * x) / width + (gy * y) / height + (rnd() - 0.5) * 16;
      for (let k = 0; k < 3; k++) {
        const bg = Math.max(0, Math.min(255, base[k] + shade));
        out[i + k] = Math.round(out[i + k] * (1 - alpha) + bg * alpha);
      }
    }
  }
  return out;
}

/** Model input for one (image, augmentation). */
export function augmentedInput(img: DecodedImage, aug: AugmentationId, sha: string): Float32Array {
  if (aug === 'orig') return preprocessRgba(img.pixels, img.width, img.height, 3);
  const rnd = rngFrom(`${sha}:${aug}`);
  let pixels: Uint8Array = new Uint8Array(img.pixels);
  if (aug === 'bgswap-v1' && darkFraction(img) > MIN_DARK_FRACTION) {
    pixels = replaceDarkBackground(img, rnd);
  }
  jitterColours(pixels, rnd);
  const region = randomCrop(img.width, img.height, rnd);
  return preprocessRgba(pixels, img.width, img.height, 3, region, aug === 'flipcrop-v1');
}
