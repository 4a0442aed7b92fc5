// Training-time augmentation, applied to decoded pixels before the shared preprocessing. Each
// augmentation is deterministic per (image sha, augmentation id) so cached embeddings stay valid.
import { INPUT_SIZE, centreSquare, preprocessRgba } from '../preprocess';
import type { Region } from '../preprocess';
import type { DecodedImage } from '../node/decode';
import { rngFrom } from './random';

/** Bump the suffix when an augmentation changes: it is part of the embedding cache key. */
export const AUGMENTATIONS = ['flipcrop-v1', 'bgswap-v1', 'fieldview-v2'] as const;
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

/** Ground tones for the field view: soil, dry grass, foliage, concrete, a grey-blue tarp. */
const GROUNDS: [number, number, number][] = [
  [112, 84, 58],
  [86, 64, 44],
  [160, 140, 96],
  [78, 104, 52],
  [150, 150, 150],
  [96, 120, 140],
];

/**
 * A size×size ground: one tone modulated by value noise at three scales (clods, stalks, grain),
 * so it has structure like soil or a bench top rather than a flat colour.
 */
function textureGround(size: number, rnd: () => number): Uint8Array {
  const tone = GROUNDS[Math.floor(rnd() * GROUNDS.length)].map((v) => v + (rnd() - 0.5) * 40);
  const field = new Float32Array(size * size);
  for (const [cells, amplitude] of [
    [3, 45],
    [12, 30],
    [48, 18],
  ]) {
    const g = cells + 1;
    const grid = Float32Array.from({ length: g * g }, () => (rnd() - 0.5) * 2 * amplitude);
    for (let y = 0; y < size; y++) {
      const gy = (y / size) * cells;
      const y0 = Math.floor(gy);
      const fy = gy - y0;
      for (let x = 0; x < size; x++) {
        const gx = (x / size) * cells;
        const x0 = Math.floor(gx);
        const fx = gx - x0;
        const a = grid[y0 * g + x0] + (grid[y0 * g + x0 + 1] - grid[y0 * g + x0]) * fx;
        const b =
          grid[(y0 + 1) * g + x0] + (grid[(y0 + 1) * g + x0 + 1] - grid[(y0 + 1) * g + x0]) * fx;
        field[y * size + x] += a + (b - a) * fy;
      }
    }
  }
  const out = new Uint8Array(size * size * 3);
  for (let i = 0; i < size * size; i++) {
    const shade = field[i] + (rnd() - 0.5) * 12;
    for (let k = 0; k < 3; k++) out[i * 3 + k] = Math.max(0, Math.min(255, tone[k] + shade));
  }
  return out;
}

/**
 * Field view: the photo's centre square, smaller in the frame (60–90 % of the side), at a random
 * place on a textured ground, its edge feathered. Bank photos fill the frame; a grower's photo
 * often does not, and without this the model refused most photos whose subject was at 60 % of
 * the side (measured in model/README.md).
 */
function fieldView(img: DecodedImage, pixels: Uint8Array, rnd: () => number): DecodedImage {
  const sq = centreSquare(img.width, img.height);
  const side = sq.width;
  const size = Math.round(side / (0.6 + 0.3 * rnd()));
  const out = textureGround(size, rnd);
  const left = Math.floor((size - side) * rnd());
  const top = Math.floor((size - side) * rnd());
  const feather = Math.max(1, Math.round(side * 0.06));
  for (let y = 0; y < side; y++) {
    const ey = Math.min(y + 1, side - y);
    for (let x = 0; x < side; x++) {
      const alpha = Math.min(1, Math.min(ey, Math.min(x + 1, side - x)) / feather);
      const s = ((sq.y + y) * img.width + sq.x + x) * 3;
      const d = ((top + y) * size + left + x) * 3;
      for (let k = 0; k < 3; k++)
        out[d + k] = Math.round(pixels[s + k] * alpha + out[d + k] * (1 - alpha));
    }
  }
  return { pixels: out, width: size, height: size, channels: 3 };
}

/** White balance off, as under shade, low sun or a phone's auto white balance. */
function shiftWhiteBalance(px: Uint8Array, rnd: () => number): void {
  const gains = [0.85 + 0.3 * rnd(), 1, 0.8 + 0.35 * rnd()];
  for (let i = 0; i < px.length; i++) px[i] = Math.min(255, Math.round(px[i] * gains[i % 3]));
}

/** 3×3 box blur of a model input (HWC), as a photo taken slightly out of focus or while moving. */
function blurInput(x: Float32Array): Float32Array {
  const out = new Float32Array(x.length);
  const n = INPUT_SIZE;
  for (let y = 0; y < n; y++) {
    for (let xx = 0; xx < n; xx++) {
      for (let k = 0; k < 3; k++) {
        let sum = 0;
        let count = 0;
        for (let dy = -1; dy <= 1; dy++) {
          for (let dx = -1; dx <= 1; dx++) {
            const yy = y + dy;
            const xs = xx + dx;
            if (yy < 0 || yy >= n || xs < 0 || xs >= n) continue;
            sum += x[(yy * n + xs) * 3 + k];
            count++;
          }
        }
        out[(y * n + xx) * 3 + k] = sum / count;
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
  if (aug !== 'flipcrop-v1' && darkFraction(img) > MIN_DARK_FRACTION) {
    pixels = replaceDarkBackground(img, rnd);
  }
  if (aug === 'fieldview-v2') {
    const view = fieldView(img, pixels, rnd);
    shiftWhiteBalance(view.pixels, rnd);
    jitterColours(view.pixels, rnd);
    const input = preprocessRgba(view.pixels, view.width, view.height, 3, undefined, rnd() < 0.5);
    return rnd() < 0.3 ? blurInput(input) : input;
  }
  jitterColours(pixels, rnd);
  const region = randomCrop(img.width, img.height, rnd);
  return preprocessRgba(pixels, img.width, img.height, 3, region, aug === 'flipcrop-v1');
}
