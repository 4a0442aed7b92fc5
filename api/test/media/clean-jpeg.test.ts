import exifr from 'exifr';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { isCleanJpeg } from '../../src/media/clean-jpeg';
import { processImage } from '../../src/media/image-processor';
import { AppError } from '../../src/errors';

/** The 16-byte JFIF header (version 1.1, 1:1 aspect, no thumbnail) browsers put first. */
const JFIF = Buffer.from([0xff, 0xe0, 0, 16, 0x4a, 0x46, 0x49, 0x46, 0, 1, 1, 0, 0, 1, 0, 1, 0, 0]);

/**
 * A photo-like JPEG as a browser's canvas.toBlob makes it: JFIF header, then the image (sharp
 * writes none). Smooth gradients plus noise, so the entropy-coded data is not trivial.
 */
async function photoJpeg(
  width: number,
  height: number,
  options: sharp.JpegOptions = {},
  channels: 1 | 3 = 3,
) {
  const pixels = Buffer.alloc(width * height * channels);
  for (let i = 0; i < pixels.length; i++) {
    const p = Math.floor(i / channels);
    pixels[i] = ((p % width) * 255) / width + ((p * 7919) % 23);
  }
  const jpeg = await sharp(pixels, { raw: { width, height, channels } })
    .toColourspace(channels === 1 ? 'b-w' : 'srgb')
    .jpeg({ quality: 90, ...options })
    .toBuffer();
  return Buffer.concat([jpeg.subarray(0, 2), JFIF, jpeg.subarray(2)]);
}

/** Inserts a segment (marker + payload) right after the JFIF header. */
function withSegment(jpeg: Buffer, marker: number, payload: Buffer): Buffer {
  const header = Buffer.from([0xff, marker, 0, 0]);
  header.writeUInt16BE(payload.length + 2, 2);
  return Buffer.concat([jpeg.subarray(0, 20), header, payload, jpeg.subarray(20)]);
}

describe('isCleanJpeg: only what the PWA camera makes is stored without re-encoding', () => {
  let baseline: Buffer;
  beforeAll(async () => {
    baseline = await photoJpeg(320, 240);
  });

  it("accepts plain JFIF baseline and progressive JPEGs, and sharp's own output", async () => {
    expect(baseline.toString('latin1', 6, 11)).toBe('JFIF\0');
    expect(isCleanJpeg(baseline)).toBe(true);
    expect(isCleanJpeg(await sharp(baseline).jpeg().toBuffer())).toBe(true);
    expect(isCleanJpeg(await photoJpeg(320, 240, { progressive: true }))).toBe(true);
    // With restart markers inside the entropy-coded data.
    const withRestarts = withSegment(baseline, 0xdd, Buffer.from([0, 4]));
    expect(isCleanJpeg(withRestarts)).toBe(true);
  });

  it('refuses any metadata segment, trailing bytes, or a damaged structure', async () => {
    const cases: Record<string, Buffer> = {
      exif: await sharp(baseline)
        .withExif({ IFD0: { Make: 'Phone' } })
        .jpeg()
        .toBuffer(),
      icc: await sharp(baseline).withIccProfile('srgb').jpeg().toBuffer(),
      comment: withSegment(baseline, 0xfe, Buffer.from('Ferme Tremblay, rang 4')),
      'APP13 (IPTC)': withSegment(baseline, 0xed, Buffer.from('Photoshop 3.0\0')),
      'bytes after the end': Buffer.concat([baseline, Buffer.from('PK\x03\x04 zip')]),
      truncated: baseline.subarray(0, baseline.length - 100),
      'no end marker': baseline.subarray(0, baseline.length - 2),
      'arithmetic coding (SOF9)': Buffer.from(
        baseline.toString('latin1').replace('\xff\xc0', '\xff\xc9'),
        'latin1',
      ),
      grayscale: await photoJpeg(320, 240, {}, 1),
      'JFIF with a thumbnail': Buffer.concat([
        baseline.subarray(0, 4),
        Buffer.from([0, 16 + 3 * 4]),
        baseline.subarray(6, 18),
        Buffer.alloc(3 * 4, 0x80),
        baseline.subarray(20),
      ]),
      png: await sharp(baseline).png().toBuffer(),
      empty: Buffer.alloc(0),
    };
    for (const [name, bytes] of Object.entries(cases)) {
      expect(isCleanJpeg(bytes), name).toBe(false);
    }
  });
});

// A small photo (plain decode check) and a camera-sized one (decoded at 1/8 scale).
const SIZES = [
  [320, 240],
  [1920, 1080],
] as const;

describe('processImage keeps a clean camera JPEG as sent and re-encodes the rest', () => {
  it('stores a clean JPEG byte for byte, small or large (shrink-on-load check)', async () => {
    for (const [w, h] of SIZES) {
      const input = await photoJpeg(w, h);
      const out = await processImage(input);
      expect(out.full.equals(input)).toBe(true);
      expect([out.width, out.height]).toEqual([w, h]);
    }
  });

  it('re-encodes a photo with EXIF (GPS dropped) or with bytes after its end', async () => {
    const base = await photoJpeg(320, 240);
    const gps = await sharp(base)
      .withExif({
        IFD0: { Make: 'Phone' },
        IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '46/1 48/1 0/1' },
      })
      .jpeg()
      .toBuffer();
    expect(await exifr.gps(gps)).toBeTruthy();
    const fromGps = await processImage(gps);
    expect(fromGps.full.equals(gps)).toBe(false);
    expect(await exifr.parse(fromGps.full)).toBeUndefined();
    expect(isCleanJpeg(fromGps.full)).toBe(true);

    const trailing = Buffer.concat([base, Buffer.from('<script>alert(1)</script>')]);
    const fromTrailing = await processImage(trailing);
    expect(fromTrailing.full.includes(Buffer.from('<script>'))).toBe(false);
    expect(isCleanJpeg(fromTrailing.full)).toBe(true);
  });

  it('never stores as sent a clean-looking JPEG whose data is damaged', async () => {
    for (const [w, h] of SIZES) {
      const input = await photoJpeg(w, h);
      // Half the entropy-coded data gone, the end marker put back: the structure still walks.
      const damaged = Buffer.concat([
        input.subarray(0, input.length >> 1),
        Buffer.from([0xff, 0xd9]),
      ]);
      expect(isCleanJpeg(damaged)).toBe(true);
      const outcome = await processImage(damaged).then(
        (image) => image.full,
        (err: unknown) => err,
      );
      if (outcome instanceof Buffer) expect(outcome.equals(damaged)).toBe(false);
      else expect(outcome).toMatchObject(new AppError('IMAGE_CORRUPT'));
    }
  });
});
