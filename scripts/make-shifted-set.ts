// Copies the bank's held-out test split with one change a photo taken in the field may have, as
// an eval folder (`npm run -s model:eval -- --data <outDir>/<mode> --json`): how much of the
// model's accuracy survives a leaf that does not fill the frame, a blurred or dark shot, a
// compressed one, a white balance off. The numbers are in model/README.md.
// Usage: npx tsx scripts/make-shifted-set.ts [outDir] [mode ...]   (default model/.cache/shifted,
// every mode). `field` puts the photo on real textures from python3-skimage (brick, gravel)
// and mate-backgrounds (wood): `apt-get install -y python3-skimage mate-backgrounds`.
// `foliage` cuts the leaf from its lab background and puts it on real foliage photos
// (mate-backgrounds, lomiri-wallpapers); photos with no plain background are left out.
// The changes are made with sharp, not with the training augmentation's code, so the model is
// not scored on its own augmentations.
import { existsSync } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { decodeImage } from '../model/src/node/decode';
import type { DecodedImage } from '../model/src/node/decode';
import { paths } from '../model/src/paths';
import { darkFraction } from '../model/src/train/augment';
import { labBackgroundMask, softenMask } from '../model/src/train/lab-background';
import { loadBank } from '../model/src/train/dataset';
import { hashSamples } from '../model/src/train/embed-samples';
import { assignSplits } from '../model/src/train/split';

const MODES = ['same', 'field', 'foliage', 'zoomout', 'blur', 'dark', 'jpeg', 'warm'] as const;
type Mode = (typeof MODES)[number];

/** The real textures `field` puts the photos on; the ones whose package is missing are skipped. */
const GROUNDS = [
  '/usr/lib/python3/dist-packages/skimage/data/brick.png',
  '/usr/lib/python3/dist-packages/skimage/data/gravel.png',
  '/usr/share/backgrounds/mate/nature/Wood.jpg',
].filter((g) => existsSync(g));
/** Real foliage photos from mate-backgrounds and lomiri-wallpapers (no crop, no insect, no dandelion). */
const FOLIAGE = [
  '/usr/share/backgrounds/mate/nature/Blinds.jpg',
  '/usr/share/backgrounds/mate/nature/GreenMeadow.jpg',
  '/usr/share/backgrounds/mate/nature/RainDrops.jpg',
  '/usr/share/backgrounds/Dragonfly_by_Bolly.jpg',
].filter((g) => existsSync(g));
/** Side of the photo in the field view, as a share of the frame's side. */
const FIELD_SHARE = 0.62;
/** Warm white balance: red up, blue down (a low sun, or a phone's auto white balance). */
const WARM: sharp.Matrix3x3 = [
  [1.12, 0, 0],
  [0, 1, 0],
  [0, 0, 0.8],
];

/** 1 on the near-black background of the segmented apple photos. */
function blackBackground(img: DecodedImage): Uint8Array {
  const mask = new Uint8Array(img.width * img.height);
  const px = img.pixels;
  for (let p = 0; p < mask.length; p++)
    mask[p] = Math.max(px[p * 3], px[p * 3 + 1], px[p * 3 + 2]) < 40 ? 1 : 0;
  return mask;
}

/**
 * The leaf without its lab background (paper, or the apples' black), on a real foliage photo, as
 * if photographed on the plant; null for a photo with no plain background (web photos).
 */
async function onFoliage(path: string, index: number): Promise<sharp.Sharp | null> {
  const img = await decodeImage(path);
  const { width, height } = img;
  const mask = darkFraction(img) > 0.15 ? blackBackground(img) : labBackgroundMask(img);
  if (!mask) return null;
  const alpha = softenMask(mask, width, height);
  const rgba = Buffer.alloc(width * height * 4);
  for (let p = 0; p < width * height; p++) {
    for (let k = 0; k < 3; k++) rgba[p * 4 + k] = img.pixels[p * 3 + k];
    rgba[p * 4 + 3] = Math.round(255 * (1 - alpha[p]));
  }
  const ground = sharp(FOLIAGE[index % FOLIAGE.length]).resize(width, height, {
    fit: 'cover',
    position: ['left', 'centre', 'right'][Math.floor(index / FOLIAGE.length) % 3],
  });
  return sharp(await ground.removeAlpha().toBuffer()).composite([
    { input: rgba, raw: { width, height, channels: 4 } },
  ]);
}

async function shifted(path: string, mode: Mode, index: number): Promise<sharp.Sharp | null> {
  const img = sharp(path).rotate();
  const { width = 256, height = 256 } = await img.metadata();
  const side = Math.min(width, height);
  switch (mode) {
    case 'same':
      return img;
    case 'blur':
      return img.blur(2);
    case 'dark':
      return img.modulate({ brightness: 0.6 });
    case 'jpeg':
      return sharp(
        await img
          .resize(Math.round(width / 2))
          .jpeg({ quality: 35 })
          .toBuffer(),
      );
    case 'warm':
      return img.recomb(WARM);
    case 'zoomout': {
      const pad = Math.round(side / 3);
      return img.extend({
        top: pad,
        bottom: pad,
        left: pad,
        right: pad,
        background: { r: 110, g: 100, b: 80 },
      });
    }
    case 'foliage':
      return onFoliage(path, index);
    case 'field': {
      const frame = Math.round(side / FIELD_SHARE);
      const ground = await sharp(GROUNDS[index % GROUNDS.length])
        .resize(frame, frame, { fit: 'cover' })
        .removeAlpha()
        .toBuffer();
      const photo = await img.resize(side, side, { fit: 'cover' }).toBuffer();
      const left = Math.round((frame - side) * (0.3 + 0.04 * (index % 10)));
      const top = Math.round((frame - side) / 2);
      return sharp(ground)
        .composite([{ input: photo, left, top }])
        .recomb([
          [1.08, 0, 0],
          [0, 1, 0],
          [0, 0, 0.88],
        ]);
    }
  }
}

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const outDir = resolve(root, process.argv[2] ?? 'model/.cache/shifted');
const asked = process.argv.slice(3);
const bad = asked.filter((m) => !(MODES as readonly string[]).includes(m));
if (bad.length > 0) {
  console.error(`unknown mode(s) ${bad.join(', ')}; modes: ${MODES.join(', ')}`);
  process.exit(2);
}
const modes = (asked.length > 0 ? asked : MODES) as Mode[];
if (modes.includes('field') && GROUNDS.length === 0) {
  console.error('field: no texture found; apt-get install -y python3-skimage mate-backgrounds');
  process.exit(2);
}
if (modes.includes('foliage') && FOLIAGE.length === 0) {
  console.error('foliage: no photo found; apt-get install -y mate-backgrounds lomiri-wallpapers');
  process.exit(2);
}
const warn = (m: string): void => console.error(`warning: ${m}`);
const bank = await loadBank(paths.imagebankDir, warn);
const hashed = await hashSamples(bank.samples, warn);
const splits = assignSplits(hashed);
const test = hashed.filter((h) => splits.get(h.sha) === 'test');
for (const mode of modes) {
  const dir = join(outDir, mode);
  await rm(dir, { recursive: true, force: true });
  let index = 0;
  let written = 0;
  for (const h of test) {
    await mkdir(join(dir, h.slug), { recursive: true });
    const img = await shifted(h.path, mode, index++);
    if (!img) continue;
    await img.jpeg({ quality: 90 }).toFile(join(dir, h.slug, `${h.sha.slice(0, 16)}.jpg`));
    written++;
  }
  console.log(`${mode}: ${written} photos → ${dir}`);
}
