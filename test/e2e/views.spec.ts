import { expect, test } from '@playwright/test';
import type { User } from '@phytodiag/api/contract';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import {
  catalog,
  diagnose,
  expectNoViolations,
  frenchName,
  IMAGEBANK,
  register,
  SAMPLE,
  startApp,
  waitForLibrary,
} from './helpers';

test('the result view follows the profile (producer → advisor → gardener)', async ({ page }) => {
  await startApp(page, 'producer');
  await waitForLibrary(page);
  await diagnose(page, SAMPLE.file);
  const resultUrl = page.url();
  await expect(page.getByTestId('top-name')).toHaveText(frenchName(SAMPLE.slug));
  await expect(page.getByRole('heading', { name: 'Quoi faire maintenant' })).toBeVisible();
  await expect(page.getByTestId('top5')).toHaveCount(0);

  await page.getByRole('navigation').getByRole('link', { name: 'Réglages' }).click();
  // check() fails if the radio flips back while the choice is saved.
  await page.getByTestId('settings-profile-advisor').check();
  await page.goto(resultUrl);
  await expect(page.getByTestId('top5').locator('tbody tr')).toHaveCount(5);
  await expect(page.getByTestId('top5').locator('thead th')).toHaveText([
    'Hypothèse',
    'Probabilité',
  ]);
  await expect(page.getByRole('heading', { name: 'Sosies à écarter' })).toBeVisible();
  await expect(page.getByText('Puccinia sorghi').first()).toBeVisible();

  await page.getByRole('navigation').getByRole('link', { name: 'Réglages' }).click();
  await page.getByTestId('settings-profile-gardener').check();
  await page.goto(resultUrl);
  await expect(page.getByRole('heading', { name: 'En mots simples' })).toBeVisible();
  await expect(page.getByTestId('top5')).toHaveCount(0);
  // Words for a home garden: no compute details, no agronomist to consult.
  await expect(page.getByText(/wasm|\d+ ms/)).toHaveCount(0);
  await expect(page.getByText(/ou à votre centre de jardinage\.$/)).toBeVisible();
  // Its fact sheet: plain words, not the grower's symptoms and lab criteria.
  await page.getByRole('link', { name: 'Voir la fiche complète' }).click();
  await expect(page.getByRole('heading', { level: 2, name: 'Au potager' })).toBeVisible();
  await expect(page.getByRole('heading', { level: 2, name: 'Un doute?' })).toBeVisible();
  await expect(page.getByRole('heading', { level: 2, name: 'Symptômes' })).toHaveCount(0);
  await expect(page.getByRole('heading', { name: 'Quand appeler le laboratoire' })).toHaveCount(0);
  // A look-alike's sheet, one fact sheet to another: the focus goes to its heading, as for any
  // new screen (before: left on the page's start, nothing said).
  const lookAlike = frenchName('corn_northern_leaf_blight');
  await page.getByRole('link', { name: lookAlike }).click();
  await expect(page.getByRole('heading', { level: 1, name: lookAlike })).toBeFocused();
  await page.goto(resultUrl);
  // Asking a specialist from the result: the diagnosed class's crop is already filled in.
  await page.getByTestId('ask-specialist').click();
  await expect(page.getByLabel('Culture')).toHaveValue('Maïs');
});

test('a "possible" answer names the look-alike to rule out; a "probable" one does not', async ({
  page,
}) => {
  await startApp(page, 'producer');
  await waitForLibrary(page);
  // Northern leaf blight or gray leaf spot? The model hesitates on this photo (~0.6 / 0.4).
  await diagnose(page, join(IMAGEBANK, 'corn_northern_leaf_blight', '014.jpg'));
  await expect(page.locator('.verdict .badge')).toHaveText('Possible');
  await expect(page.getByTestId('top-name')).toHaveText(frenchName('corn_northern_leaf_blight'));
  const runnerUp = page.getByTestId('runner-up');
  await expect(runnerUp).toHaveText(
    `Autre possibilité à écarter : ${frenchName('corn_gray_leaf_spot')}`,
  );
  await runnerUp.getByRole('link').click();
  await expect(page).toHaveURL(/#\/library\/corn_gray_leaf_spot$/);

  await diagnose(page, SAMPLE.file);
  await expect(page.locator('.verdict .badge')).toHaveText('Probable');
  await expect(page.getByTestId('top-name')).toHaveText(frenchName(SAMPLE.slug));
  await expect(page.getByTestId('runner-up')).toHaveCount(0);
});

test('a diagnosis is deleted from the device in two steps, photos included', async ({ page }) => {
  await startApp(page, 'producer');
  await diagnose(page, SAMPLE.file);
  const resultUrl = page.url();
  // A request started from it and left as a draft.
  const description = `Brouillon d’un diagnostic supprimé — e2e ${Date.now()}`;
  await page.getByTestId('ask-specialist').click();
  await page.getByLabel('Ce que vous observez').fill(description);
  const outbox = () =>
    page.evaluate(
      (text) =>
        new Promise<{ state: string; modelVersion: string | null }[]>((resolve) => {
          const req = indexedDB.open('phytodiag');
          req.onsuccess = () => {
            const all = req.result.transaction('outbox').objectStore('outbox').getAll();
            all.onsuccess = () => {
              const rows = all.result as {
                state: string;
                case: { description: string; prediction?: { modelVersion: string } };
              }[];
              resolve(
                rows
                  .filter((r) => r.case.description === text)
                  .map((r) => ({
                    state: r.state,
                    modelVersion: r.case.prediction?.modelVersion ?? null,
                  })),
              );
              req.result.close();
            };
          };
        }),
      description,
    );
  await expect.poll(async () => (await outbox()).map((r) => r.state)).toEqual(['draft']);
  await page.goto(resultUrl);
  const remove = page.getByRole('button', { name: 'Supprimer ce diagnostic de l’appareil' });
  await remove.click();
  // The question takes the button's place, focused; « Non » keeps everything.
  await expect(page.getByRole('button', { name: 'Oui, supprimer' })).toBeFocused();
  await page.getByRole('button', { name: 'Non, garder' }).click();
  await remove.click();
  await page.getByRole('button', { name: 'Oui, supprimer' }).click();
  await expect(page.getByTestId('home-flash')).toHaveText('Diagnostic supprimé de l’appareil.');
  await expect(page.getByText('Aucun diagnostic pour l’instant.')).toBeVisible();
  const left = await page.evaluate(
    () =>
      new Promise<number>((resolve) => {
        const req = indexedDB.open('phytodiag');
        req.onsuccess = () => {
          const count = req.result.transaction('diagnoses').objectStore('diagnoses').count();
          count.onsuccess = () => {
            resolve(count.result);
            req.result.close();
          };
        };
      }),
  );
  expect(left).toBe(0);

  // The draft lost nothing: finished later, it still tells the lab what the device had said.
  await page.goto('/#/cases');
  await page
    .getByTestId('outbox-list')
    .getByRole('listitem')
    .filter({ hasText: description })
    .getByRole('link', { name: 'Continuer le brouillon' })
    .click();
  await expect(page.getByLabel('Ce que vous observez')).toHaveValue(description);
  await page.getByTestId('submit-case').click();
  await expect.poll(outbox).toEqual([{ state: 'queued', modelVersion: expect.any(String) }]);
});

test('« Mes diagnostics » lists every diagnosis kept on the device and erases them all in two steps', async ({
  page,
}) => {
  await startApp(page, 'producer');
  await waitForLibrary(page);
  for (const file of [SAMPLE.file, join(IMAGEBANK, 'apple_scab', '001.jpg')]) {
    await diagnose(page, file);
  }
  await page.getByRole('navigation').getByRole('link', { name: 'Accueil' }).click();
  await page.getByRole('link', { name: 'Voir tous mes diagnostics (2)' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Mes diagnostics' })).toBeVisible();
  const links = page.getByRole('main').getByRole('listitem');
  await expect(links).toHaveCount(2);
  // Newest first.
  await expect(links.first()).toContainText(frenchName('apple_scab'));
  await expectNoViolations(page, 'my diagnoses');
  await page.getByRole('button', { name: 'Effacer les 2 diagnostics de l’appareil' }).click();
  await expect(page.getByTestId('confirm-clear-history')).toBeFocused();
  await page.getByTestId('confirm-clear-history').click();
  await expect(page.getByTestId('history-cleared')).toHaveText(
    'Diagnostics effacés de l’appareil.',
  );
  await expect(links).toHaveCount(0);
  await page.getByRole('navigation').getByRole('link', { name: 'Accueil' }).click();
  await expect(page.getByText('Aucun diagnostic pour l’instant.')).toBeVisible();
  await expect(page.getByRole('link', { name: /mes diagnostics/ })).toHaveCount(0);
});

test('a photo’s GPS position stays out of the device history without the location consent', async ({
  page,
}, testInfo) => {
  const file = testInfo.outputPath('with-gps.jpg');
  await writeFile(
    file,
    await sharp(SAMPLE.file)
      .withExif({
        IFD3: {
          GPSLatitudeRef: 'N',
          GPSLatitude: '46/1 48/1 3600/100',
          GPSLongitudeRef: 'W',
          GPSLongitude: '71/1 12/1 3600/100',
        },
      })
      .jpeg()
      .toBuffer(),
  );
  const locations = () =>
    page.evaluate(
      () =>
        new Promise<({ lat: number; lon: number } | null)[]>((resolve) => {
          const req = indexedDB.open('phytodiag');
          req.onsuccess = () => {
            const all = req.result.transaction('diagnoses').objectStore('diagnoses').getAll();
            all.onsuccess = () => {
              const rows = all.result as { createdAt: string; location: unknown }[];
              resolve(
                rows
                  .sort((a, b) => a.createdAt.localeCompare(b.createdAt))
                  .map((r) => r.location as { lat: number; lon: number } | null),
              );
              req.result.close();
            };
          };
        }),
    );
  await startApp(page, 'producer');
  await diagnose(page, file);
  expect(await locations()).toEqual([null]);
  // With « Localisation » on, the photo's own position is kept with the diagnosis.
  await page.goto('/#/settings');
  await page.getByLabel('Localisation', { exact: true }).check();
  await diagnose(page, file);
  const [, kept] = await locations();
  expect(kept?.lat).toBeCloseTo(46.81, 4);
  expect(kept?.lon).toBeCloseTo(-71.21, 4);
});

test('another crop: no crop-specific name, insects still named, the specialist told no crop', async ({
  page,
}) => {
  await startApp(page, 'producer');
  await waitForLibrary(page);
  await page.getByRole('navigation').getByRole('link', { name: 'Diagnostic' }).click();
  await page.getByText('Contexte (facultatif)').click();
  const crop = page.getByLabel('Culture', { exact: true });
  // The crops offered are the library's (the bank's catalog, and the classes the lab added since:
  // lab.spec validates one), then "another crop".
  const library = (await (await page.request.get('/api/library?lang=fr')).json()) as {
    items: { kind: string; crop: string }[];
  };
  const bankCrops = [
    ...new Set(
      library.items.filter((c) => c.kind === 'disease' || c.kind === 'healthy').map((c) => c.crop),
    ),
  ].sort((a, b) => a.localeCompare(b, 'fr'));
  expect(bankCrops).toEqual(
    expect.arrayContaining(
      catalog.classes.filter((c) => c.kind !== 'insect' && c.kind !== 'weed').map((c) => c.crop.fr),
    ),
  );
  expect(await crop.locator('option').allInnerTexts()).toEqual([
    'Non précisée',
    ...bankCrops,
    'Autre culture (pas dans cette liste)',
  ]);
  await crop.selectOption({ label: 'Autre culture (pas dans cette liste)' });

  // A corn disease the model names with confidence otherwise: withheld, the specialist offered.
  await diagnose(page, SAMPLE.file);
  const notCovered = page.getByTestId('not-covered');
  await expect(notCovered.getByRole('heading')).toHaveText(
    'Cette culture n’est pas encore couverte par le modèle',
  );
  await expect(notCovered).toContainText(bankCrops.map((c) => c.toLocaleLowerCase('fr'))[0]);
  await expect(page.getByTestId('top-name')).toHaveCount(0);
  await expect(page.getByTestId('leaf-tip')).toHaveCount(0);
  await expect(page.getByText('Contexte utilisé : autre culture')).toBeVisible();
  const resultUrl = page.url();

  // An insect is no crop's: still named.
  await diagnose(page, join(IMAGEBANK, 'insect_grasshopper', '001.jpg'));
  await expect(page.getByTestId('top-name')).toHaveText(frenchName('insect_grasshopper'));

  // Asking from the withheld result: the crop field is left for the producer to type.
  await page.goto(resultUrl);
  await page.getByTestId('ask-specialist').click();
  // The result screen has a « Culture » of its own (the context): the form first.
  await expect(
    page.getByRole('heading', { level: 1, name: 'Demander à un spécialiste' }),
  ).toBeVisible();
  await expect(page.getByLabel('Culture', { exact: true })).toHaveValue('');

  // A covered crop declared, and a clear photo of another crop's disease: the prior does not
  // hide it, and the result says the two do not match.
  await page.getByRole('navigation').getByRole('link', { name: 'Diagnostic' }).click();
  await page.getByText('Contexte (facultatif)').click();
  await crop.selectOption({ label: 'Tomate' });
  await diagnose(page, SAMPLE.file);
  await expect(page.getByTestId('top-name')).toHaveText(frenchName(SAMPLE.slug));
  await expect(page.getByTestId('other-crop')).toHaveText(
    'Vous avez indiqué la culture « tomate », mais ce résultat concerne la culture « maïs ». Vérifiez la culture choisie dans le contexte, ou la photo.',
  );
});

test('language switch is complete and persisted', async ({ page }) => {
  await startApp(page, 'producer');
  await page.getByRole('navigation').getByRole('link', { name: 'Réglages' }).click();
  await page.getByRole('radio', { name: 'English' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Settings' })).toBeVisible();
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  await page.reload();
  await expect(page.getByRole('heading', { level: 1, name: 'Settings' })).toBeVisible();
  await page.getByRole('navigation').getByRole('link', { name: 'Home' }).click();
  await expect(page.getByRole('link', { name: /Diagnose a photo/ })).toBeVisible();
  await expect(page.getByRole('link', { name: /Ask a specialist/ })).toBeVisible();
  await page.getByRole('navigation').getByRole('link', { name: 'Settings' }).click();
  await page.getByRole('radio', { name: 'Français' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Réglages' })).toBeVisible();
});

test('the account follows the profile chosen in Settings, so the lab sees who is asking', async ({
  page,
}) => {
  const profileKind = async () =>
    ((await (await page.request.get('/api/auth/me')).json()) as User).profileKind;
  await startApp(page, 'producer');
  await register(page, `profil-${Date.now()}@example.org`, 'phytodiag-profil-pass');
  expect(await profileKind()).toBe('producer');
  await page.getByRole('navigation').getByRole('link', { name: 'Réglages' }).click();
  await page.getByTestId('settings-profile-gardener').check();
  // A producer's request goes first in the lab's queue: a gardener's must not pass for one.
  await expect.poll(profileKind).toBe('gardener');
  await page.getByTestId('settings-profile-producer').check();
  await expect.poll(profileKind).toBe('producer');
});

test.describe('server messages follow the app language, not the browser', () => {
  // The browser asks for English; the app is in French until the user switches.
  test.use({ locale: 'en-US' });

  test('sign-in error in French, then the account follows the switch to English', async ({
    page,
  }) => {
    await startApp(page, 'producer');
    await page.goto('/#/login');
    await page.getByLabel('Courriel').fill('personne@example.org');
    await page.getByLabel('Mot de passe').fill('pas-le-bon-mot-de-passe');
    await page.getByRole('button', { name: 'Se connecter' }).click();
    await expect(page.getByRole('alert')).toContainText('Courriel ou mot de passe incorrect.');
    // The button was disabled while signing in: the error takes the focus it lost.
    await expect(page.getByRole('alert')).toBeFocused();

    await register(page, `langue-${Date.now()}@example.org`, 'phytodiag-langue-pass');
    await page.getByRole('navigation').getByRole('link', { name: 'Réglages' }).click();
    await page.getByRole('radio', { name: 'English' }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Settings' })).toBeVisible();
    // The profile language is what the server uses for this account (messages, e-mails).
    await expect
      .poll(async () => ((await (await page.request.get('/api/auth/me')).json()) as User).language)
      .toBe('en');
    // Signed out, the app's language still decides over the browser's.
    await page.goto('/#/login');
    await page.getByRole('button', { name: 'Sign out', exact: true }).click();
    await page.getByLabel('Email').fill('nobody@example.org');
    await page.getByLabel('Password').fill('not-the-right-password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page.getByRole('alert')).toContainText('Incorrect email or password.');
  });

  test('at sign-in, a language picked on the device carries to the account; a new device takes the account’s', async ({
    page,
    browser,
    baseURL,
  }) => {
    const email = `bilingue-${Date.now()}@example.org`;
    const password = 'phytodiag-bilingue-pass';
    const accountLanguage = async (p: typeof page) =>
      ((await (await p.request.get('/api/auth/me')).json()) as User).language;
    await startApp(page, 'producer');
    // Registered from a device left in French: a French account.
    await register(page, email, password);
    expect(await accountLanguage(page)).toBe('fr');
    await page.goto('/#/login');
    await page.getByRole('button', { name: 'Se déconnecter' }).click();
    // Signed out, English picked here, then signed in: the account follows the screen.
    await page.getByRole('navigation').getByRole('link', { name: 'Réglages' }).click();
    await page.getByRole('radio', { name: 'English' }).click();
    await page.goto('/#/login');
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'My requests' })).toBeVisible();
    await expect.poll(() => accountLanguage(page)).toBe('en');

    // Another device, on the default French: signing in switches it to the account's English.
    const other = await browser.newContext({ baseURL, locale: 'fr-CA' });
    const second = await other.newPage();
    await startApp(second, 'producer');
    await second.goto('/#/login');
    await second.getByLabel('Courriel').fill(email);
    await second.getByLabel('Mot de passe').fill(password);
    await second.getByRole('button', { name: 'Se connecter' }).click();
    await expect(second.getByRole('heading', { level: 1, name: 'My requests' })).toBeVisible();
    await expect(second.locator('html')).toHaveAttribute('lang', 'en');
    expect(await accountLanguage(second)).toBe('en');
    await other.close();
  });

  test('a language switched offline reaches the account when the network returns', async ({
    page,
    context,
  }) => {
    const email = `hors-ligne-${Date.now()}@example.org`;
    const accountLanguage = async () =>
      ((await (await page.request.get('/api/auth/me')).json()) as User).language;
    await startApp(page, 'producer');
    await register(page, email, 'phytodiag-langue-pass');
    await context.setOffline(true);
    await page.getByRole('navigation').getByRole('link', { name: 'Réglages' }).click();
    await page.getByRole('radio', { name: 'English' }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Settings' })).toBeVisible();
    await context.setOffline(false);
    await expect.poll(accountLanguage).toBe('en');
    // So the server's own messages follow the screen.
    await page.goto('/#/login');
    await page.getByLabel('Current password').fill('not-the-password');
    await page.getByLabel('New password').fill('rangs-de-fraises-2026');
    await page.getByRole('button', { name: 'Change password' }).click();
    await expect(page.getByRole('alert')).toHaveText(
      'Incorrect current password: your password was not changed.',
    );
  });
});

test('a link to a request: sign in first, and a wrong or foreign link says not found', async ({
  page,
}) => {
  const link = '/#/cases/00000000-0000-4000-8000-000000000000';
  await startApp(page, 'producer');
  await page.goto(link);
  await page.getByRole('link', { name: 'Connectez-vous pour lire cette demande.' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Connexion' })).toBeVisible();
  await register(page, `lien-${Date.now()}@example.org`, 'phytodiag-lien-pass');
  await page.goto(link);
  await expect(page.getByRole('alert')).toHaveText(
    'Demande introuvable : ce lien ne correspond à aucune de vos demandes.',
  );
});
