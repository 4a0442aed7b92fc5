import { copyFile, mkdir, readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fromRepoRoot } from '../../src/paths';

export const REAL_IMAGEBANK = fromRepoRoot(process.env.IMAGEBANK_DIR ?? '../shared/data/imagebank');

/**
 * A small image bank in `dir` (under os.tmpdir()): the real catalog restricted to `slugs`
 * and the first `perClass` real images of each (never copied into the repository).
 */
export async function buildImageBank(
  dir: string,
  slugs: readonly string[],
  perClass = 2,
): Promise<void> {
  const catalog = JSON.parse(await readFile(join(REAL_IMAGEBANK, 'catalog.json'), 'utf8')) as {
    classes: { slug: string }[];
  };
  const classes = catalog.classes.filter((c) => slugs.includes(c.slug));
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'catalog.json'), JSON.stringify({ ...catalog, classes }));
  for (const { slug } of classes) {
    await mkdir(join(dir, slug), { recursive: true });
    const files = (await readdir(join(REAL_IMAGEBANK, slug)))
      .filter((f) => f.endsWith('.jpg'))
      .sort();
    for (const f of files.slice(0, perClass))
      await copyFile(join(REAL_IMAGEBANK, slug, f), join(dir, slug, f));
  }
}
