import { centreSquare, preprocessRgba } from '@phytodiag/model/preprocess';

/**
 * Photo Blob → model inputs: the whole photo's centred square, then one centred close-up per share
 * (the classifier's second look, read only if the whole photo is refused). createImageBitmap
 * applies the EXIF orientation like sharp.rotate() does in Node; getImageData gives straight
 * (non-premultiplied) RGBA for opaque JPEGs, so the shared preprocessRgba sees the same pixels as
 * the training pipeline. The close-ups are made now, from the decoded pixels, rather than by
 * decoding the photo again later (a phone photo is ~50 MB of RGBA).
 */
export async function decodeToViews(
  blob: Blob,
  closeUpShares: readonly number[] = [],
): Promise<Float32Array[]> {
  const bitmap = await createImageBitmap(blob, {
    imageOrientation: 'from-image',
    premultiplyAlpha: 'none',
    colorSpaceConversion: 'default',
  });
  try {
    const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
    const ctx = canvas.getContext('2d', { willReadFrequently: true });
    if (!ctx) throw new Error('2D canvas unavailable');
    ctx.drawImage(bitmap, 0, 0);
    const { data, width, height } = ctx.getImageData(0, 0, bitmap.width, bitmap.height);
    return [1, ...closeUpShares].map((share) =>
      preprocessRgba(data, width, height, 4, centreSquare(width, height, share)),
    );
  } finally {
    bitmap.close();
  }
}

/** The whole photo's model input only. */
export async function decodeToInput(blob: Blob): Promise<Float32Array> {
  const [whole] = await decodeToViews(blob);
  return whole;
}
