// Builds a small set of REAL non-plant photos from Debian packages (for the classifier's
// "unknown" evaluation): `apt-get install -y python3-skimage lomiri-wallpapers` provides
// skimage/data and /usr/share/backgrounds (lomiri-wallpapers-16.04 photographs); optionally
// `apt-get install -y --no-install-recommends opencv-doc python3-matplotlib mate-backgrounds` adds
// 27 more, closer to ImageNet photos (a dog, a baboon, a bird, people, streets, cars, objects).
// Usage: npx tsx scripts/make-nonplant-set.ts [outDir]   (default model/.cache/nonplant)
// Images are split by name into fit/ and report/ so nothing used to tune a threshold is reported.
import { existsSync } from 'node:fs';
import { copyFile, mkdir, rm } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const outDir = resolve(root, process.argv[2] ?? 'model/.cache/nonplant');
const skimage = [
  '/usr/lib/python3/dist-packages/skimage/data',
  '/usr/share/python3-skimage/data',
].find((d) => existsSync(d));
// No plants, leaves, grass or microscopy: colour photos (people, animals, objects, vehicles,
// space, a retina), greyscale ones (camera, moon, coins, page, text; brick and gravel textures) and
// graphics (horse silhouette, logo, colour chart). The order fixes the fit/report halves, hence the
// numbers in model/README.md.
const PHOTOS = [
  'astronaut.png',
  'chelsea.png',
  'coffee.png',
  'motorcycle_left.png',
  'motorcycle_right.png',
  'rocket.jpg',
  'hubble_deep_field.jpg',
  'retina.jpg',
  'brick.png',
  'gravel.png',
  'color.png',
  'logo.png',
  'horse.png',
  'camera.png',
  'moon.png',
  'coins.png',
  'page.png',
  'text.png',
  'clock_motion.png',
];
// Photographs from lomiri-wallpapers-16.04, chosen by eye: no plant, leaf, grass, tree or
// flower in them (the landscapes, the dandelions, the dragonfly on leaves, the fig and the bird
// on bark were left out). Abstract renders were left out too: they are not photos.
const backgrounds = '/usr/share/backgrounds';
const WALLPAPERS = [
  'Bridge_by_Sander_Klootwijk.jpg',
  'Picture_1A_by_freespace.jpg',
  'Wine_by_Jakkub_Mede.jpg',
  'free_by_Peter_Nerlich.jpg',
  'friends_by_Aitzol_Berasategi.jpg',
  'greentock_by_Peter_Nerlich.jpg',
  'Infinite-Sea_by_Aury88.jpg',
].map((n) => join(backgrounds, n));
// OpenCV's sample photos, chosen by eye the same way: the fruit, the aloe, the squirrel in leaves,
// the tree, the lake, the painting and the drawings were left out; of a stereo pair, one photo.
const opencv = '/usr/share/doc/opencv-doc/examples';
const OPENCV = [
  'data/baboon.jpg',
  'data/blox.jpg',
  'data/board.jpg',
  'data/building.jpg',
  'data/ela_original.jpg',
  'data/home.jpg',
  'data/left.jpg',
  'data/leuvenA.jpg',
  'data/licenseplate_motion.jpg',
  'data/messi5.jpg',
  'data/stuff.jpg',
  'data/text_defocus.jpg',
  'data/graf1.png',
  'data/basketball1.png',
  'data/box_in_scene.png',
  'data/rubberwhale1.png',
  'data/chicky_512.png',
  'hfs/data/000.jpg',
  'text/scenetext01.jpg',
  'text/scenetext03.jpg',
  'text/scenetext05.jpg',
  'text/scenetext06.jpg',
  'reg/home.png',
].map((n) => join(opencv, n));
const OTHERS = [
  '/usr/share/matplotlib/mpl-data/sample_data/grace_hopper.jpg',
  ...['Aqua.jpg', 'Storm.jpg', 'Wood.jpg'].map((n) => join(backgrounds, 'mate', 'nature', n)),
];
/** Two OpenCV photos share a file name (home.*): keep the folder in the copied name. */
const nameOf = (src: string): string =>
  src.startsWith(opencv)
    ? `opencv-${src.slice(opencv.length + 1).replaceAll('/', '-')}`
    : basename(src);

async function main(): Promise<void> {
  if (!skimage) {
    console.error('error: skimage data not found; run: apt-get install -y python3-skimage');
    process.exitCode = 1;
    return;
  }
  await rm(outDir, { recursive: true, force: true });
  let i = 0;
  const copied: string[] = [];
  if (!existsSync(WALLPAPERS[0])) {
    console.error(
      `warning: no wallpapers in ${backgrounds} (apt-get install -y lomiri-wallpapers)`,
    );
  }
  if (!existsSync(OPENCV[0]) || !existsSync(OTHERS[0]) || !existsSync(OTHERS[1])) {
    console.error(
      'warning: some optional photos are missing (apt-get install -y --no-install-recommends ' +
        'opencv-doc python3-matplotlib mate-backgrounds)',
    );
  }
  // The original 26 first: their fit/report halves stay those of the numbers in model/README.md.
  const sources = [...PHOTOS.map((n) => join(skimage, n)), ...WALLPAPERS, ...OPENCV, ...OTHERS];
  for (const src of sources) {
    if (!existsSync(src)) continue;
    // Alternate fit/report so both halves mix people, animals, objects and textures.
    const part = i++ % 2 === 0 ? 'report' : 'fit';
    await mkdir(join(outDir, part, 'unknown'), { recursive: true });
    await copyFile(src, join(outDir, part, 'unknown', nameOf(src)));
    copied.push(`${part}/${nameOf(src)}`);
  }
  console.error(`copied ${copied.length} photos to ${outDir}`);
  console.log(outDir);
}

void main();
