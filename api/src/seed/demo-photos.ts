import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { IMAGE_FILE } from './seed-library';

/** `count` photos of a class in the bank (sorted by name, from the `from`-th), as uploaded bytes. */
export async function bankPhotos(
  imagebankDir: string,
  slug: string,
  count: number,
  from = 0,
): Promise<Buffer[]> {
  const dir = join(imagebankDir, slug);
  const files = (await readdir(dir).catch(() => [] as string[]))
    .filter((f) => IMAGE_FILE.test(f))
    .sort()
    .slice(from, from + count);
  return Promise.all(files.map((f) => readFile(join(dir, f))));
}
