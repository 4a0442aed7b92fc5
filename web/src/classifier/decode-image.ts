import { closeUpRegions, preprocessRgba } from '@phytodiag/model/preprocess';

/**
 * The browser could not decode the photo (a damaged file, or a format it does not read, such as
 * HEIC outside Safari). Its own message is English and technical; the screen says it in words.
 */
export class UnreadablePhotoError extends Error {
  readonly code = 'PHOTO_UNREADABLE';
}

/** One photo's model inputs (224·224·3 each): the whole photo and its close-ups. */
export interface PhotoViews {
  whole: Float32Array;
  closeUps: { share: number; input: Float32Array }[];
}

/**
 * Photo Blob → model inputs: the whole photo's centred square, then its centred close-ups
 * (closeUpRegions: the classifier's second look, read only if the whole photo needs it).
 * createImageBitmap applies the EXIF orientation like sharp.rotate() does in Node; getImageData
 * gives straight (non-premultiplied) RGBA for opaque JPEGs, so the shared preprocessRgba sees the
 * same pixels as the training pipeline. The close-ups are made now, from the decoded pixels,
 * rather than by decoding the photo again later (a phone photo is ~50 MB of RGBA).
 */
export async function decodeToViews(
  blob: Blob,
  closeUpShares: readonly number[] = [],
): Promise<PhotoViews> {
  const bitmap = await createImageBitmap(blob, {
    imageOrientation: 'from-image',
    premultiplyAlpha: 'none',
    colorSpaceConversion: 'default',
  }).catch((err: unknown) => {
    throw new UnreadablePhotoError(err instanceof Error ? err.message : String(err));
  });
  try {
    const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
    const ctx = canvas.getContext('2d', { willReadFrequently: true });
    if (!ctx) throw new Error('2D canvas unavailable');
    ctx.drawImage(bitmap, 0, 0);
    const { data, width, height } = ctx.getImageData(0, 0, bitmap.width, bitmap.height);
    return {
      whole: preprocessRgba(data, width, height, 4),
      closeUps: closeUpRegions(width, height, closeUpShares).map(({ share, region }) => ({
        share,
        input: preprocessRgba(data, width, height, 4, region),
      })),
    };
  } finally {
    bitmap.close();
  }
}

/** The whole photo's model input only. */
export async function decodeToInput(blob: Blob): Promise<Float32Array> {
  return (await decodeToViews(blob)).whole;
}
