// Node-side decoding: sharp applies the EXIF orientation (.rotate()) and yields raw RGB, the same
// pixels the browser gets from createImageBitmap(blob, { imageOrientation: 'from-image' }).
import sharp from 'sharp';

export interface DecodedImage {
  pixels: Uint8Array;
  width: number;
  height: number;
  channels: 3;
}

export async function decodeImage(input: string | Buffer): Promise<DecodedImage> {
  const { data, info } = await sharp(input, { failOn: 'error' })
    .rotate()
    .removeAlpha()
    .toColourspace('srgb')
    .raw()
    .toBuffer({ resolveWithObject: true });
  if (info.channels !== 3)
    throw new Error(`decodeImage: expected 3 channels, got ${info.channels}`);
  return {
    pixels: new Uint8Array(data.buffer, data.byteOffset, data.byteLength),
    width: info.width,
    height: info.height,
    channels: 3,
  };
}
