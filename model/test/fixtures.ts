// Small real-image fixtures drawn from the shared image bank (read-only) and skimage photos.
import { existsSync } from 'node:fs';
import { copyFile, mkdir, mkdtemp, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { paths } from '../src/paths';

export const BANK = paths.imagebankDir;
export const BACKBONE = paths.backboneDir;
export const SKIMAGE = '/usr/lib/python3/dist-packages/skimage/data';
export const NONPLANT = [
  'chelsea.png',
  'coffee.png',
  'astronaut.png',
  'rocket.jpg',
  'motorcycle_left.png',
  'brick.png',
];
export const hasSkimage = existsSync(join(SKIMAGE, 'chelsea.png'));

export const SUBSET = ['potato_early_blight', 'grape_black_rot', 'corn_common_rust'];

export async function tempDir(prefix: string): Promise<string> {
  return mkdtemp(join(tmpdir(), `phytodiag-${prefix}-`));
}

/** Copies the first `perClass` images of each class into <dir>/<slug>/. */
export async function makeSubset(
  dir: string,
  classes: string[],
  perClass: number,
  offset = 0,
): Promise<void> {
  for (const slug of classes) {
    await mkdir(join(dir, slug), { recursive: true });
    const names = (await readdir(join(BANK, slug))).sort().slice(offset, offset + perClass);
    for (const n of names) await copyFile(join(BANK, slug, n), join(dir, slug, n));
  }
}

export async function writeCorrupt(path: string): Promise<void> {
  await writeFile(path, Buffer.from('this is not a jpeg at all'));
}
