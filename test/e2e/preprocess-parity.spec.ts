import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { expect, test } from '@playwright/test';
import sharp from 'sharp';
import { load, resolveVersionDir } from '../../model/src/classifier';
import type { ClassifierResult } from '../../model/src/classifier-core';
import { preprocessRgba } from '../../model/src/preprocess';
import { decodeImage } from '../../model/src/node/decode';
import { SAMPLE, diagnose, frenchName, startApp, waitForModel } from './helpers';

/** The photo alone: no crop, no season (the classifier worker's context). */
const NO_CONTEXT = { crop: null, regionCode: null, month: 7, priorsEnabled: false, factors: null };
/**
 * The browser path (createImageBitmap → OffscreenCanvas → preprocessRgba, in the worker) must feed
 * the model the same numbers as the Node path used for training (sharp → preprocessRgba). JPEG
 * decoders may round a few pixels differently, hence a 2-level tolerance per value.
 */
test('browser preprocessing equals Node preprocessing for the same JPEG', async ({ page }) => {
  const bytes = readFileSync(SAMPLE.file);
  const decoded = await decodeImage(bytes);
  const node = preprocessRgba(decoded.pixels, decoded.width, decoded.height, 3);

  await page.goto('/');
  await expect(page.getByRole('heading', { name: 'Qui êtes-vous?' })).toBeVisible();
  const browser = await page.evaluate(async (data) => {
    const blob = new Blob([new Uint8Array(data)], { type: 'image/jpeg' });
    const w = window as unknown as {
      phytodiagDebug: { preprocess(b: Blob): Promise<Float32Array> };
    };
    return Array.from(await w.phytodiagDebug.preprocess(blob));
  }, Array.from(bytes));

  expect(browser).toHaveLength(node.length);
  let maxDiff = 0;
  let sumDiff = 0;
  for (let i = 0; i < node.length; i++) {
    const d = Math.abs(node[i] - browser[i]);
    maxDiff = Math.max(maxDiff, d);
    sumDiff += d;
  }
  const meanDiff = sumDiff / node.length;
  console.log(
    `preprocess parity: max |Δ| = ${maxDiff.toFixed(5)}, mean |Δ| = ${meanDiff.toExponential(2)}`,
  );
  expect(maxDiff).toBeLessThanOrEqual(2 / 127.5 + 1e-6);
  expect(meanDiff).toBeLessThan(0.002);
});

/**
 * The whole diagnosis, browser against Node on the same served version: a leaf is named alike, and
 * a cat (a real photo from python3-skimage) is refused in both by the ImageNet check, the
 * backbone's own ImageNet classifier shipped as imagenet/ (model/src/node/imagenet-check.ts).
 */
test('the browser diagnoses like Node, and its ImageNet check refuses a cat', async ({ page }) => {
  const cat = '/usr/lib/python3/dist-packages/skimage/data/chelsea.png';
  test.skip(!existsSync(cat), 'apt-get install -y python3-skimage');
  const modelDir = process.env.E2E_MODEL_DIR as string;
  const node = await load(await resolveVersionDir(modelDir));
  await page.goto('/');
  await expect(page.getByRole('heading', { name: 'Qui êtes-vous?' })).toBeVisible();
  const inBrowser = async (file: string, type: string): Promise<ClassifierResult> =>
    page.evaluate(
      async ({ data, type, context }) => {
        const w = window as unknown as {
          phytodiagDebug: {
            classify(photos: Blob[], context: object): Promise<{ result: ClassifierResult }>;
          };
        };
        const photo = new Blob([new Uint8Array(data)], { type });
        return (await w.phytodiagDebug.classify([photo], context)).result;
      },
      { data: Array.from(readFileSync(file)), type, context: NO_CONTEXT },
    );
  try {
    const check = node.calibration.abstention.imagenet;
    expect(check, 'the served version ships the ImageNet check').toBeDefined();
    for (const [file, type] of [
      [SAMPLE.file, 'image/jpeg'],
      [cat, 'image/png'],
    ] as const) {
      const b = await inBrowser(file, type);
      const n = await node.classify(file);
      expect(b.modelVersion).toBe(node.version);
      expect(b.ranked[0].slug).toBe(n.ranked[0].slug);
      expect(b.reason).toBe(n.reason);
      expect(b.imagenetMass).toBeCloseTo(n.imagenetMass as number, 2);
    }
    const b = await inBrowser(cat, 'image/png');
    expect(b.reason).toBe('out_of_distribution');
    expect(b.imagenetMass).toBeLessThan(check?.minMass as number);

    // As a grower sees it: no name, a specialist first, then how to take a photo it can read.
    await startApp(page);
    await waitForModel(page);
    await diagnose(page, cat);
    const card = page.getByRole('region', { name: 'Le modèle ne peut pas se prononcer' });
    await expect(card.getByTestId('leaf-tip')).toHaveText(/feuille de papier/);
    await expect(card.getByRole('link', { name: /Demander à un spécialiste/ })).toBeVisible();
    await expect(page.getByTestId('top-name')).toHaveCount(0);
  } finally {
    node.dispose();
  }
});

/**
 * The second look (model/src/classifier-core.ts, pickView): a leaf at 60 % of the frame on brick
 * (python3-skimage's photo) is refused as a whole, read on a centred close-up in Node and in the
 * browser alike, named correctly, and the result screen says it was read on the centre.
 */
test('a leaf small in the frame is read on a close-up, in the browser as in Node', async ({
  page,
}) => {
  const brick = '/usr/lib/python3/dist-packages/skimage/data/brick.png';
  test.skip(!existsSync(brick), 'apt-get install -y python3-skimage');
  const side = 448;
  const leaf = await sharp(SAMPLE.file)
    .resize(Math.round(side * 0.6))
    .toBuffer();
  const photo = await sharp(brick)
    .resize(side, side)
    .removeAlpha()
    .composite([{ input: leaf, gravity: 'centre' }])
    .jpeg({ quality: 90 })
    .toBuffer();
  const file = join(test.info().outputDir, 'leaf-on-brick.jpg');
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, photo);

  const node = await load(await resolveVersionDir(process.env.E2E_MODEL_DIR as string));
  try {
    const decoded = await decodeImage(photo);
    const whole = node.classifyInput(
      preprocessRgba(decoded.pixels, decoded.width, decoded.height, 3),
    );
    expect(whole.abstained, 'the whole photo is refused').toBe(true);
    const n = await node.classify(photo);
    expect(n.abstained).toBe(false);
    expect(n.closeUpShare).toBeDefined();
    expect(n.ranked[0].slug).toBe(SAMPLE.slug);

    await startApp(page);
    await waitForModel(page);
    const b = await page.evaluate(
      async ({ data, context }) => {
        const w = window as unknown as {
          phytodiagDebug: {
            classify(photos: Blob[], context: object): Promise<{ result: ClassifierResult }>;
          };
        };
        const blob = new Blob([new Uint8Array(data)], { type: 'image/jpeg' });
        return (await w.phytodiagDebug.classify([blob], context)).result;
      },
      { data: Array.from(photo), context: NO_CONTEXT },
    );
    expect(b.closeUpShare).toBe(n.closeUpShare);
    expect(b.ranked[0].slug).toBe(n.ranked[0].slug);
    expect(b.reason).toBeNull();

    await diagnose(page, file);
    await expect(page.getByTestId('top-name')).toHaveText(frenchName(SAMPLE.slug));
    await expect(page.getByTestId('close-up-note')).toHaveText(/centre de la photo/);
  } finally {
    node.dispose();
  }
});
