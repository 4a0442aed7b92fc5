import { expect, test } from '@playwright/test';
import {
  diagnose,
  frenchName,
  SAMPLE,
  startApp,
  waitForLibrary,
  waitForModel,
  waitForServiceWorker,
} from './helpers';

test('after one online visit the app, the library and the model work offline', async ({
  page,
  context,
}) => {
  await startApp(page, 'producer');
  await waitForServiceWorker(page);
  await waitForModel(page);
  await waitForLibrary(page);

  await context.setOffline(true);
  await page.reload();
  await expect(page.getByRole('heading', { level: 1, name: 'Accueil' })).toBeVisible();
  await expect(page.getByText('Hors ligne', { exact: false }).first()).toBeVisible();

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
  // Its reference photos were never downloaded ("Bibliothèque hors ligne" not used): a labelled
  // placeholder, not a broken image.
  await expect(
    page
      .getByRole('img', {
        name: 'Mildiou de la pomme de terre : photo non téléchargée (hors ligne)',
      })
      .first(),
  ).toBeVisible();

  // Diagnosis of a real bank photo, offline, named in French.
  await diagnose(page, SAMPLE.file);
  await expect(page.getByTestId('top-name')).toHaveText(frenchName(SAMPLE.slug));
  await expect(page.getByTestId('ask-specialist')).toBeVisible();
  await expect(page.getByText(/Modèle .+ · \d+ ms/)).toBeVisible();
  await page.screenshot({ path: 'test-results/offline-result.png', fullPage: true });
});
