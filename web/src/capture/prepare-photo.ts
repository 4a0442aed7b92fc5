/**
 * What a picked photo becomes before it is kept on the device (diagnosis history, outbox):
 * checked readable at once, and made small enough to reach the lab over a weak rural uplink.
 *
 * A phone photo is 3–8 MB and 12+ megapixels; five of them could never be sent at 300 kbit/s
 * before the upload deadline, and every failed try costs the farmer metered data. The lab reads
 * a lesion just as well at 2048 px on the long side, and the classifier works at 224 px. A photo
 * already small and in a format every browser and the server read keeps its exact bytes (the
 * classifier then sees what the evaluation saw).
 */
export const PHOTO_MAX_SIDE = 2048;
/** Above this, even a small photo is re-encoded (a PNG screenshot, a barely compressed JPEG). */
export const PHOTO_KEEP_MAX_BYTES = 1_500_000;
/**
 * Below this many pixels (100 × 100) a photo cannot show a lesion or an insect to the classifier
 * (it sees 224 × 224) nor to the lab: refused at pick time with « take it closer », rather than
 * diagnosed as « can't tell ». An area, not a side: a narrow crop of a leaf (the bank holds
 * 320 × 85 ones) still shows its symptoms.
 */
export const PHOTO_MIN_SIDE = 100;
const KEPT_TYPES = new Set(['image/jpeg', 'image/png', 'image/webp']);
const JPEG_QUALITY = 0.85;

/** The browser could not decode the file: refused when picked, not hours later by the server. */
export class UnreadablePickedPhotoError extends Error {
  constructor(readonly fileName: string | null) {
    super('unreadable photo');
    this.name = 'UnreadablePickedPhotoError';
  }
}

/** Decoded, but too small to show anything: refused when picked, with its size. */
export class TooSmallPickedPhotoError extends Error {
  constructor(
    readonly fileName: string | null,
    readonly width: number,
    readonly height: number,
  ) {
    super('photo too small');
    this.name = 'TooSmallPickedPhotoError';
  }
}

async function encode(bitmap: ImageBitmap, width: number, height: number): Promise<Blob> {
  if (typeof OffscreenCanvas !== 'undefined') {
    const canvas = new OffscreenCanvas(width, height);
    const ctx = canvas.getContext('2d');
    if (!ctx) throw new Error('no 2d context');
    ctx.imageSmoothingQuality = 'high';
    ctx.drawImage(bitmap, 0, 0, width, height);
    return canvas.convertToBlob({ type: 'image/jpeg', quality: JPEG_QUALITY });
  }
  const canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = height;
  const ctx = canvas.getContext('2d');
  if (!ctx) throw new Error('no 2d context');
  ctx.imageSmoothingQuality = 'high';
  ctx.drawImage(bitmap, 0, 0, width, height);
  return new Promise((resolve, reject) =>
    canvas.toBlob(
      (b) => (b ? resolve(b) : reject(new Error('toBlob failed'))),
      'image/jpeg',
      JPEG_QUALITY,
    ),
  );
}

/**
 * The photo to keep: the same Blob when already fit, else a JPEG at most PHOTO_MAX_SIDE on its
 * long side, upright (the decoder applies the EXIF orientation; the EXIF itself, read before
 * this for the date and position, is not carried over). Throws UnreadablePickedPhotoError or
 * TooSmallPickedPhotoError.
 */
export async function preparePhoto(blob: Blob): Promise<Blob> {
  const name = blob instanceof File ? blob.name : null;
  let bitmap: ImageBitmap;
  try {
    bitmap = await createImageBitmap(blob);
  } catch {
    throw new UnreadablePickedPhotoError(name);
  }
  try {
    if (bitmap.width * bitmap.height < PHOTO_MIN_SIDE * PHOTO_MIN_SIDE) {
      throw new TooSmallPickedPhotoError(name, bitmap.width, bitmap.height);
    }
    const long = Math.max(bitmap.width, bitmap.height);
    if (long <= PHOTO_MAX_SIDE && blob.size <= PHOTO_KEEP_MAX_BYTES && KEPT_TYPES.has(blob.type)) {
      return blob;
    }
    const scale = Math.min(1, PHOTO_MAX_SIDE / long);
    const width = Math.max(1, Math.round(bitmap.width * scale));
    const height = Math.max(1, Math.round(bitmap.height * scale));
    let jpeg: Blob;
    try {
      jpeg = await encode(bitmap, width, height);
    } catch {
      // No canvas to draw on (memory, an old browser): a photo the server reads goes as it is;
      // one it does not is refused now rather than later.
      if (KEPT_TYPES.has(blob.type)) return blob;
      throw new UnreadablePickedPhotoError(name);
    }
    // A format the server may not read (HEIC decoded by this browser) always goes as the JPEG.
    return jpeg.size < blob.size || !KEPT_TYPES.has(blob.type) ? jpeg : blob;
  } finally {
    bitmap.close();
  }
}
