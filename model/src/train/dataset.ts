// Builds the sample list from an image-bank folder: catalog.json gives the class metadata, one
// sub-folder per class slug holds the images. No class list is hard-coded.
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ClassInfo, ClassKind } from '../classifier-core';

export interface Sample {
  slug: string;
  path: string;
}

const IMAGE_EXT = /\.(jpe?g|png|webp|gif|tiff?|avif|heic)$/i;
const KINDS: ClassKind[] = ['disease', 'healthy', 'insect', 'weed'];

export async function listImages(dir: string): Promise<string[]> {
  const names = await readdir(dir);
  return names
    .filter((n) => IMAGE_EXT.test(n))
    .sort()
    .map((n) => join(dir, n));
}

interface CatalogEntry {
  slug: string;
  kind: string;
  crop: { en: string; fr: string };
}

export async function loadBank(
  dir: string,
  warn: (msg: string) => void,
): Promise<{ classes: ClassInfo[]; samples: Sample[] }> {
  const catalogPath = join(dir, 'catalog.json');
  if (!existsSync(catalogPath)) throw new Error(`no catalog.json in image bank ${dir}`);
  const catalog = JSON.parse(await readFile(catalogPath, 'utf8')) as { classes: CatalogEntry[] };
  const classes: ClassInfo[] = [];
  const samples: Sample[] = [];
  for (const entry of catalog.classes) {
    const folder = join(dir, entry.slug);
    if (!KINDS.includes(entry.kind as ClassKind)) {
      warn(`class ${entry.slug}: unknown kind "${entry.kind}", skipped`);
      continue;
    }
    if (!existsSync(folder)) {
      warn(`class ${entry.slug} is in catalog.json but has no folder, skipped`);
      continue;
    }
    const images = await listImages(folder);
    if (images.length === 0) {
      warn(`class ${entry.slug} has no images, skipped`);
      continue;
    }
    classes.push({ slug: entry.slug, kind: entry.kind as ClassKind, crop: entry.crop });
    for (const path of images) samples.push({ slug: entry.slug, path });
  }
  const known = new Set(classes.map((c) => c.slug));
  for (const d of await readdir(dir, { withFileTypes: true })) {
    if (d.isDirectory() && !known.has(d.name) && !catalog.classes.some((c) => c.slug === d.name)) {
      warn(`folder ${d.name} has no catalog.json entry, skipped`);
    }
  }
  return { classes, samples };
}
