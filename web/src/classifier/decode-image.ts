import { preprocessRgba } from '@phytodiag/model/preprocess';

/**
 * Photo Blob → model input. createImageBitmap applies the EXIF orientation like sharp.rotate()
 * does in Node; getImageData gives straight (non-premultiplied) RGBA for opaque JPEGs, so the
 * shared preprocessRgba sees the same pixels as the training pipeline.
 */
export async function decodeToInput(blob: Blob): Promise<Float32Array> {
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
    return preprocessRgba(data, width, height, 4);
  } finally {
    bitmap.close();
  }
}
