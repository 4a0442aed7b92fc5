// Shared by Node (after sharp decoding) and the browser worker (after canvas decoding): pure
// TypeScript with no platform imports, so both sides produce bit-identical model inputs.

/** Side of the square image the backbone expects. */
export const INPUT_SIZE = 224;

/** A rectangle in source-pixel coordinates (used by training augmentation). */
export interface Region {
  x: number;
  y: number;
  width: number;
  height: number;
}

/**
 * The centred square of a width×height image: the default crop. `share` < 1 gives a centred
 * close-up whose side is that share of the full centred square's (the classifier's second look).
 */
export function centreSquare(width: number, height: number, share = 1): Region {
  if (!(share > 0 && share <= 1)) throw new Error(`centreSquare: share ${share} not in (0, 1]`);
  const side = Math.max(1, Math.round(Math.min(width, height) * share));
  return {
    x: Math.floor((width - side) / 2),
    y: Math.floor((height - side) / 2),
    width: side,
    height: side,
  };
}

/** A close-up of the photo for the classifier's second look (CloseUp in classifier-core). */
export interface CloseUpRegion {
  share: number;
  region: Region;
}

/**
 * The centred close-ups of a width×height photo at each share, keeping only those with at least
 * INPUT_SIZE source pixels on a side: a smaller one would be upscaled, i.e. a blurrier photo than
 * the whole (measured: on the bank's 256-px photos blurred or halved, close-ups cost 1.5–2 points).
 */
export function closeUpRegions(
  width: number,
  height: number,
  shares: readonly number[],
): CloseUpRegion[] {
  return shares
    .map((share) => ({ share, region: centreSquare(width, height, share) }))
    .filter(({ region }) => region.width >= INPUT_SIZE);
}

/**
 * Interleaved RGB(A) pixels → Float32Array of INPUT_SIZE×INPUT_SIZE×3 (HWC) in [-1, 1].
 * Takes the centred square (or `region`), resizes it bilinearly with half-pixel centres (the
 * convention of tf.image.resizeBilinear(..., halfPixelCenters=true)) and scales x/127.5 - 1,
 * the "tf" preprocessing MobileNet v1 was trained with. Alpha, if present, is ignored.
 */
export function preprocessRgba(
  pixels: Uint8Array | Uint8ClampedArray,
  width: number,
  height: number,
  channels: 3 | 4,
  region: Region = centreSquare(width, height),
  flipX = false,
): Float32Array {
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) {
    throw new Error(`preprocessRgba: invalid size ${width}x${height}`);
  }
  if (pixels.length !== width * height * channels) {
    throw new Error(
      `preprocessRgba: expected ${width * height * channels} values for ${width}x${height}x${channels}, got ${pixels.length}`,
    );
  }
  const out = new Float32Array(INPUT_SIZE * INPUT_SIZE * 3);
  const scaleY = region.height / INPUT_SIZE;
  const scaleX = region.width / INPUT_SIZE;
  const maxX = width - 1;
  const maxY = height - 1;
  // Horizontal source coordinates are the same for every row: compute them once.
  const x0s = new Int32Array(INPUT_SIZE);
  const x1s = new Int32Array(INPUT_SIZE);
  const fxs = new Float32Array(INPUT_SIZE);
  for (let ox = 0; ox < INPUT_SIZE; ox++) {
    const dx = flipX ? INPUT_SIZE - 1 - ox : ox;
    const sx = Math.min(Math.max(region.x + (dx + 0.5) * scaleX - 0.5, 0), maxX);
    const x0 = Math.floor(sx);
    x0s[ox] = x0 * channels;
    x1s[ox] = Math.min(x0 + 1, maxX) * channels;
    fxs[ox] = sx - x0;
  }
  let o = 0;
  for (let oy = 0; oy < INPUT_SIZE; oy++) {
    const sy = Math.min(Math.max(region.y + (oy + 0.5) * scaleY - 0.5, 0), maxY);
    const y0 = Math.floor(sy);
    const fy = sy - y0;
    const row0 = y0 * width * channels;
    const row1 = Math.min(y0 + 1, maxY) * width * channels;
    for (let ox = 0; ox < INPUT_SIZE; ox++) {
      const a = row0 + x0s[ox];
      const b = row0 + x1s[ox];
      const c = row1 + x0s[ox];
      const d = row1 + x1s[ox];
      const fx = fxs[ox];
      for (let k = 0; k < 3; k++) {
        const top = pixels[a + k] + (pixels[b + k] - pixels[a + k]) * fx;
        const bottom = pixels[c + k] + (pixels[d + k] - pixels[c + k]) * fx;
        out[o++] = (top + (bottom - top) * fy) / 127.5 - 1;
      }
    }
  }
  return out;
}
