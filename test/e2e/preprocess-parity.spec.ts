import { readFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { preprocessRgba } from '../../model/src/preprocess';
import { decodeImage } from '../../model/src/node/decode';
import { SAMPLE } from './helpers';

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
