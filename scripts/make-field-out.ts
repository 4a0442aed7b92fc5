// The one measurement on REAL field photos the bank allows: a copy of the bank (symlinks) without
// its field photos, and an eval folder of those photos. Train on the first, score the second:
// that is a class the model only knows from lab photos, met in the field (model/README.md).
//   npx tsx scripts/make-field-out.ts [outDir]              (default model/.cache/field-out)
//   IMAGEBANK_DIR=<outDir>/bank MODEL_DIR=<outDir>/model npm run model:train
//   MODEL_DIR=<outDir>/model npm run -s model:eval -- --data <outDir>/field --json --baseline knn
// Which photos are field photos: the bank's PlantVillage lab photos are square (SOURCES.md: 256 px
// upscaled to 320); in a class made mostly of them, a photo of another shape is one of the web or
// field photos its source mixed in (the corn classes hold some PlantDoc photos). Classes made of
// web photos (insects, dandelion) are kept whole: they have no lab photos to learn from.
import { mkdir, rm, symlink } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { paths } from '../model/src/paths';
import { loadBank } from '../model/src/train/dataset';

/** A class is a lab class when at least this share of its photos are square. */
const LAB_CLASS_SQUARE_SHARE = 0.7;

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const outDir = resolve(root, process.argv[2] ?? 'model/.cache/field-out');
const warn = (m: string): void => console.error(`warning: ${m}`);
const bank = await loadBank(paths.imagebankDir, warn);
await rm(outDir, { recursive: true, force: true });
await mkdir(join(outDir, 'bank'), { recursive: true });
await symlink(join(paths.imagebankDir, 'catalog.json'), join(outDir, 'bank', 'catalog.json'));

let field = 0;
for (const { slug } of bank.classes) {
  const photos = await Promise.all(
    bank.samples
      .filter((s) => s.slug === slug)
      .map(async (s) => {
        const { width, height } = await sharp(s.path).metadata();
        return { path: s.path, square: width === height };
      }),
  );
  const labClass = photos.filter((p) => p.square).length >= LAB_CLASS_SQUARE_SHARE * photos.length;
  await mkdir(join(outDir, 'bank', slug));
  for (const p of photos) {
    const isField = labClass && !p.square;
    const dir = join(outDir, isField ? 'field' : 'bank', slug);
    if (isField) await mkdir(dir, { recursive: true });
    await symlink(p.path, join(dir, basename(p.path)));
    if (isField) field++;
  }
}
console.log(`${field} field photos → ${join(outDir, 'field')}; the rest → ${join(outDir, 'bank')}`);
