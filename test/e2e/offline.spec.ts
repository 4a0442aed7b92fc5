import { readFile } from 'node:fs/promises';
import { expect, test, type Locator } from '@playwright/test';
import sharp from 'sharp';
import {
  catalog,
  diagnose,
  frenchName,
  SAMPLE,
  startApp,
  waitForFirstPhotos,
  waitForLibrary,
  waitForModel,
  waitForServiceWorker,
} from './helpers';

/** A reference photo shown from the device's copy (an IndexedDB Blob), decoded. */
async function expectFromDevice(images: Locator): Promise<void> {
  const photo = images.first();
  await expect(photo).toBeVisible();
  await expect
    .poll(() =>
      photo.evaluate((img: HTMLImageElement) => ({
        fromDevice: img.src.startsWith('blob:'),
        decoded: img.complete && img.naturalWidth > 0,
      })),
    )
    .toEqual({ fromDevice: true, decoded: true });
}

test('after one online visit the app, the library and the model work offline', async ({
  page,
  context,
}) => {
  await startApp(page, 'producer');
  await waitForServiceWorker(page);
  await waitForModel(page);
  await waitForLibrary(page);
  await waitForFirstPhotos(page);

  await context.setOffline(true);
  await page.reload();
  await expect(page.getByRole('heading', { level: 1, name: 'Accueil' })).toBeVisible();
  const banner = page.getByText('Hors ligne', { exact: false }).first();
  await expect(banner).toBeVisible();
  // French typography: a no-break space before the colon, which never starts a line on its own.
  expect(await banner.textContent()).toContain('Hors ligne\u00a0:');

  // Library: list and accent-free search on the device.
  await page.getByRole('navigation').getByRole('link', { name: 'Bibliothèque' }).click();
  await page.getByLabel('Rechercher (nom, culture, symptôme)').fill('mildiou pomme');
  const list = page.getByTestId('library-list');
  await expect(list.getByText('Mildiou de la pomme de terre')).toBeVisible();
  await list.getByText('Mildiou de la pomme de terre').click();
  await expect(
    page.getByRole('heading', { level: 1, name: 'Mildiou de la pomme de terre' }),
  ).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Quoi faire maintenant' })).toBeVisible();
  // The first reference photo came with the library, from the device's copy (IndexedDB Blob).
  await expectFromDevice(
    page.getByRole('img', { name: 'Mildiou de la pomme de terre, photo de référence 1 sur 4' }),
  );
  // The others were never downloaded (« Télécharger la bibliothèque » not used): a labelled
  // placeholder, not a broken image.
  await expect(
    page
      .getByRole('img', {
        name: 'Mildiou de la pomme de terre, photo de référence 2 sur 4 : photo non téléchargée (hors ligne)',
      })
      .first(),
  ).toBeVisible();

  // Diagnosis of a real bank photo, offline, named in French.
  await diagnose(page, SAMPLE.file);
  await expect(page.getByTestId('top-name')).toHaveText(frenchName(SAMPLE.slug));
  await expect(page.getByTestId('ask-specialist')).toBeVisible();
  await expect(page.getByText(/^Modèle \S+ · Contexte/)).toBeVisible();
  await page.screenshot({ path: 'test-results/offline-result.png', fullPage: true });

  // A photo the browser cannot read is refused when picked, by name, in words (not hours later
  // by the server, when the producer has left the field).
  await page.getByRole('navigation').getByRole('link', { name: 'Diagnostic' }).click();
  await page.getByTestId('photo-input').setInputFiles({
    name: 'abimee.jpg',
    mimeType: 'image/jpeg',
    buffer: Buffer.from('pas une image'),
  });
  await expect(page.getByTestId('photo-unreadable')).toHaveText(
    'Photo non ajoutée, illisible (fichier abîmé, ou format que ce navigateur ne lit pas) : abimee.jpg. Reprenez-la avec l’appareil photo, ou choisissez une photo JPEG ou PNG.',
  );
  await expect(page.getByTestId('run-diagnosis')).toBeDisabled();
  // A thumbnail too small to show a symptom is refused too, with its size and what to do.
  const tiny = await sharp(SAMPLE.file).resize(40, 30, { fit: 'fill' }).jpeg().toBuffer();
  await page
    .getByTestId('photo-input')
    .setInputFiles({ name: 'vignette.jpg', mimeType: 'image/jpeg', buffer: tiny });
  await expect(page.getByTestId('photo-too-small')).toHaveText(
    'Photo non ajoutée, trop petite pour montrer les symptômes : vignette.jpg (40 × 30 px). Prenez-la de plus près, en pleine résolution (au moins l’équivalent de 100 × 100 pixels).',
  );
  await expect(page.getByTestId('run-diagnosis')).toBeDisabled();

  // A 12-megapixel phone photo is kept at 2048 px on its long side: it can still reach the lab
  // over a weak uplink. A small bank photo keeps its exact bytes. Picked together with four
  // thumbnails, both are kept: the refused ones do not count against the five photos.
  const big = await sharp(SAMPLE.file).resize(4000, 3000, { fit: 'fill' }).jpeg({ quality: 95 });
  await page.getByTestId('photo-input').setInputFiles([
    ...[1, 2, 3, 4].map((n) => ({
      name: `vignette-${n}.jpg`,
      mimeType: 'image/jpeg',
      buffer: tiny,
    })),
    { name: 'grande.jpg', mimeType: 'image/jpeg', buffer: await big.toBuffer() },
    { name: 'banque.jpg', mimeType: 'image/jpeg', buffer: await readFile(SAMPLE.file) },
  ]);
  await expect(page.getByTestId('photo-unreadable')).toHaveCount(0);
  await expect(page.getByTestId('photo-too-small')).toContainText(
    'Photos non ajoutées, trop petites pour montrer les symptômes : vignette-1.jpg (40 × 30 px), vignette-2.jpg',
  );
  const sizes = () =>
    page
      .locator('.photo-list img')
      .evaluateAll((imgs) =>
        (imgs as HTMLImageElement[])
          .map((i) => [i.naturalWidth, i.naturalHeight])
          .sort((a, b) => (b[0] ?? 0) - (a[0] ?? 0)),
      );
  const original = await sharp(SAMPLE.file).metadata();
  await expect.poll(sizes).toEqual([
    [2048, 1536],
    [original.width, original.height],
  ]);
});

test('« Télécharger la bibliothèque » keeps every reference photo on the device for offline use', async ({
  page,
  context,
}) => {
  test.slow(); // ~2 000 thumbnails, two at a time
  await startApp(page, 'producer');
  await waitForServiceWorker(page);
  await waitForLibrary(page);

  await page.getByRole('navigation').getByRole('link', { name: 'Réglages' }).click();
  const card = page.getByRole('region', { name: 'Usage hors ligne' });
  await expect(card.getByText(/^Reste à télécharger\s: ≈ \d+(,\d)?\sMo$/)).toBeVisible();
  await card.getByTestId('download-library').click();
  const done = card.getByRole('status');
  await expect(done).toHaveText(
    /^Bibliothèque téléchargée\s: \d+ fiches et [\d\u202f ]+ photos de référence \(révision \d+\)\.$/,
    { timeout: 180_000 },
  );
  // Every sheet of the server's library (the bank grows: lab.spec validates a new class).
  const library = (await (await page.request.get('/api/library')).json()) as { items: unknown[] };
  await expect(done).toContainText(`: ${library.items.length} fiches et`);
  // The count said done is the one the card now says is stored: nothing is left to fetch.
  const photos = (await done.textContent())?.match(/et ([\d\u202f ]+) photos/)?.[1];
  expect(photos).toBeTruthy();
  await expect(card).toContainText(`Les ${photos} photos de référence sont sur l’appareil.`);
  await expect(card.getByText(/Reste à télécharger/)).toHaveCount(0);

  // Offline, a fact sheet shows its reference photos from the device's copy (IndexedDB Blobs).
  await context.setOffline(true);
  await page.reload();
  await page.getByRole('navigation').getByRole('link', { name: 'Bibliothèque' }).click();
  await page.getByTestId('library-list').getByText('Mildiou de la pomme de terre').click();
  // The last one too: the first came with the library anyway.
  await expectFromDevice(
    page.getByRole('img', { name: 'Mildiou de la pomme de terre, photo de référence 4 sur 4' }),
  );
  await expect(page.getByText('photo non téléchargée')).toHaveCount(0);
  // Their credit and licence come with them (CC BY-SA asks for it wherever they are shown).
  const source = catalog.classes.find((c) => c.slug === 'potato_late_blight')!;
  const credits = page.getByTestId('photo-credits');
  await credits.getByText('Sources des photos').click();
  await expect(credits.getByRole('listitem')).toHaveText([
    `${source.source_repository} — licence : ${source.source_license} (4 photos)`,
  ]);
});

test('a model file damaged on the way is not kept, and the download resumes with the network', async ({
  page,
  context,
}) => {
  // A proxy cuts the head's weights short: 1 000 bytes with a 200.
  await context.route('**/models/**/head/group1-shard1of1', (route) =>
    route.fulfill({
      status: 200,
      body: Buffer.alloc(1000),
      contentType: 'application/octet-stream',
    }),
  );
  await startApp(page, 'producer');
  await expect(
    page.getByRole('alert').filter({ hasText: 'Le téléchargement du modèle' }),
  ).toHaveText(/n’a pas abouti .* Il reprendra au retour du réseau/, { timeout: 90_000 });
  // The network is good again: the model loads, with nothing damaged left in the cache.
  await context.unroute('**/models/**/head/group1-shard1of1');
  await context.setOffline(true);
  await context.setOffline(false);
  await waitForModel(page);
});

test('a captive portal page served as the model manifest does not break the model offline', async ({
  page,
  context,
}) => {
  await startApp(page, 'producer');
  await waitForServiceWorker(page);
  await waitForModel(page);
  // « Acceptez les conditions du Wi-Fi » with a 200 where the manifest should be.
  await context.route('**/api/model/manifest', (route) =>
    route.fulfill({
      status: 200,
      contentType: 'text/html',
      body: '<html><body>Wi-Fi Ferme</body></html>',
    }),
  );
  await page.reload();
  await waitForModel(page);
  // The next morning, in the field.
  await context.unroute('**/api/model/manifest');
  await context.setOffline(true);
  await page.reload();
  await waitForModel(page);
  await diagnose(page, SAMPLE.file);
  await expect(page.getByTestId('top-name')).toHaveText(frenchName(SAMPLE.slug));
});
