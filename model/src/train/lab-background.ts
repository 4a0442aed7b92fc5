// Finds the plain lab background of a bank photo (PlantVillage leaves lie on grey paper), so that
// scripts/make-shifted-set.ts (`foliage`) can show the test leaves as a grower photographs them:
// on the plant, with foliage behind. Used as a training augmentation too, it was measured and
// not kept (model/README.md, "Real field photos").
import type { DecodedImage } from '../node/decode';

/** A border pixel this close (RGB distance) to the border's median colour counts as paper. */
const BORDER_TOLERANCE = 45;
/** Growing stops at a step larger than this between neighbours (the leaf's edge)... */
const STEP_TOLERANCE = 12;
/** ...or at a colour this far from the border's median (shadows and gradients stay paper). */
const GLOBAL_TOLERANCE = 75;
/** The border must be mostly paper, and paper must be greyish (leaves on grass are not lab photos). */
const MIN_PAPER_BORDER = 0.5;
const MAX_PAPER_CHROMA = 60;
/** Growing never enters a pixel this much more colourful than the paper (a pale leaf). */
const CHROMA_MARGIN = 22;
/** A plausible leaf: the background covers between these shares of the photo. */
const MIN_BACKGROUND = 0.08;
const MAX_BACKGROUND = 0.8;

function distance(px: Uint8Array, i: number, c: readonly number[]): number {
  return Math.hypot(px[i] - c[0], px[i + 1] - c[1], px[i + 2] - c[2]);
}

function chroma(px: Uint8Array, i: number): number {
  return Math.max(px[i], px[i + 1], px[i + 2]) - Math.min(px[i], px[i + 1], px[i + 2]);
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/**
 * 1 where the photo shows its lab background, 0 on the subject; null when the photo has no plain
 * background (web and field photos, the insects, the dandelions, leaves that fill the frame).
 * Region growing from the border, so lesions inside the leaf, however grey, stay leaf.
 */
export function labBackgroundMask(img: DecodedImage): Uint8Array | null {
  const { width: w, height: h } = img;
  // Grown on a smoothed copy: the paper's grain and JPEG noise would stop it at every step.
  const px = Uint8Array.from(boxMean(img.pixels, w, h, 3, 2), Math.round);
  const border: number[] = [];
  for (let x = 0; x < w; x++) border.push(x, (h - 1) * w + x);
  for (let y = 1; y < h - 1; y++) border.push(y * w, y * w + w - 1);
  const paper = [0, 1, 2].map((k) => median(border.map((p) => px[p * 3 + k])));
  const paperChroma = Math.max(...paper) - Math.min(...paper);
  if (paperChroma > MAX_PAPER_CHROMA) return null;
  const seeds = border.filter((p) => distance(px, p * 3, paper) < BORDER_TOLERANCE);
  if (seeds.length < MIN_PAPER_BORDER * border.length) return null;

  const mask = new Uint8Array(w * h);
  const queue = new Int32Array(w * h);
  let head = 0;
  let tail = 0;
  for (const p of seeds) {
    if (mask[p]) continue;
    mask[p] = 1;
    queue[tail++] = p;
  }
  while (head < tail) {
    const p = queue[head++];
    const x = p % w;
    const y = (p - x) / w;
    for (const q of [
      x > 0 ? p - 1 : -1,
      x < w - 1 ? p + 1 : -1,
      y > 0 ? p - w : -1,
      y < h - 1 ? p + w : -1,
    ]) {
      if (q < 0 || mask[q]) continue;
      const step = Math.hypot(
        px[q * 3] - px[p * 3],
        px[q * 3 + 1] - px[p * 3 + 1],
        px[q * 3 + 2] - px[p * 3 + 2],
      );
      if (step > STEP_TOLERANCE || distance(px, q * 3, paper) > GLOBAL_TOLERANCE) continue;
      if (chroma(px, q * 3) > paperChroma + CHROMA_MARGIN) continue;
      mask[q] = 1;
      queue[tail++] = q;
    }
  }
  const share = tail / (w * h);
  return share < MIN_BACKGROUND || share > MAX_BACKGROUND ? null : mask;
}

/** Mean over a (2r+1)² box of each pixel, per channel, edges clamped (only pixels in the photo). */
function boxMean(
  src: ArrayLike<number>,
  width: number,
  height: number,
  channels: number,
  r: number,
): Float64Array {
  const out = new Float64Array(src.length);
  const sum = new Float64Array(channels);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      sum.fill(0);
      let n = 0;
      for (let yy = Math.max(0, y - r); yy <= Math.min(height - 1, y + r); yy++) {
        for (let xx = Math.max(0, x - r); xx <= Math.min(width - 1, x + r); xx++) {
          const i = (yy * width + xx) * channels;
          for (let k = 0; k < channels; k++) sum[k] += src[i + k];
          n++;
        }
      }
      const o = (y * width + x) * channels;
      for (let k = 0; k < channels; k++) out[o + k] = sum[k] / n;
    }
  }
  return out;
}

/** The mask softened to an alpha (1 = background) over a 5×5 box, so pasted edges are not cut out. */
export function softenMask(mask: Uint8Array, width: number, height: number): Float32Array {
  return Float32Array.from(boxMean(mask, width, height, 1, 2));
}
