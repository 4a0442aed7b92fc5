import { expect, test } from '@playwright/test';
import { startApp, waitForServiceWorker } from './helpers';

test('installable: web manifest with icons (incl. maskable) and a registered service worker', async ({
  page,
  request,
}) => {
  await startApp(page);
  const href = await page.locator('link[rel="manifest"]').getAttribute('href');
  expect(href).toBeTruthy();
  const res = await request.get(href!);
  expect(res.ok()).toBe(true);
  const manifest = (await res.json()) as {
    name: string;
    short_name: string;
    start_url: string;
    display: string;
    lang: string;
    icons: { src: string; sizes: string; purpose?: string }[];
  };
  expect(manifest.short_name).toBe('Phytodiag');
  expect(manifest.lang).toMatch(/^fr/);
  expect(manifest.display).toBe('standalone');
  expect(manifest.icons.some((i) => i.sizes === '512x512' && i.purpose === 'maskable')).toBe(true);
  expect(manifest.icons.some((i) => i.sizes === '192x192')).toBe(true);
  for (const icon of manifest.icons) {
    const r = await request.get(icon.src);
    expect(r.ok(), icon.src).toBe(true);
    expect(r.headers()['content-type']).toContain('image/png');
  }
  await waitForServiceWorker(page);
  const scriptURL = await page.evaluate(
    async () => (await navigator.serviceWorker.ready).active?.scriptURL,
  );
  expect(scriptURL).toMatch(/\/sw\.js$/);
  // Cross-origin isolated (COOP/COEP from the API) → the WASM backend can use threads.
  expect(await page.evaluate(() => self.crossOriginIsolated)).toBe(true);
});
