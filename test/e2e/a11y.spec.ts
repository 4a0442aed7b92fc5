import { expect, test } from '@playwright/test';
import { diagnose, expectNoViolations, SAMPLE, waitForLibrary } from './helpers';

test('axe-core: no WCAG 2.2 AA violation on any screen', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByRole('heading', { name: 'Qui êtes-vous?' })).toBeVisible();
  await expectNoViolations(page, 'welcome');
  await expect(page).toHaveTitle('Phytodiag');
  await page.getByTestId('profile-advisor').click();
  // The welcome step's buttons are gone: the focus goes to the new screen's heading, not back to
  // the page's start, and the title names the screen (WCAG 2.4.3, 2.4.2).
  await expect(page.getByRole('heading', { level: 1, name: 'Accueil' })).toBeFocused();
  await expect(page).toHaveTitle('Accueil · Phytodiag');
  await waitForLibrary(page);
  await expectNoViolations(page, 'home');

  for (const [hash, heading] of [
    ['#/diagnose', 'Diagnostiquer une photo'],
    ['#/library', 'Bibliothèque'],
    ['#/library/potato_late_blight', 'Mildiou de la pomme de terre'],
    ['#/escalate', 'Demander à un spécialiste'],
    ['#/cases', 'Mes demandes'],
    ['#/login', 'Connexion'],
    ['#/register', 'Créer un compte'],
    ['#/settings', 'Réglages'],
    ['#/privacy', 'Confidentialité'],
  ] as const) {
    await page.goto(`/${hash}`);
    await expect(page.getByRole('heading', { level: 1, name: heading })).toBeVisible();
    await expect(page).toHaveTitle(`${heading} · Phytodiag`);
    await expectNoViolations(page, hash);
  }
  // The privacy notice is read before an account is made, and found again in the settings.
  await page.goto('/#/register');
  await page.getByRole('link', { name: 'Confidentialité', exact: true }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Confidentialité' })).toBeVisible();
  await expect(page.getByRole('heading', { level: 2, name: 'Vos droits' })).toBeVisible();
  await page.goto('/#/settings');
  await page
    .getByRole('link', { name: 'Ce que Phytodiag recueille, qui le voit, et vos droits' })
    .click();
  await expect(page.getByRole('heading', { level: 1, name: 'Confidentialité' })).toBeVisible();
  // A sheet that names the RAP says what it is; one that does not, says nothing.
  await page.goto('/#/library/potato_late_blight');
  await expect(page.getByTestId('acronym-RAP')).toHaveText(
    'RAP : Réseau d’avertissements phytosanitaires du Québec, qui publie des avertissements ' +
      'culture par culture.',
  );
  await page.goto(`/#/library/${SAMPLE.slug}`);
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
  await expect(page.getByTestId('acronym-RAP')).toHaveCount(0);

  // A new user's empty "Mes demandes" says how a request starts, and leads there.
  await page.goto('/#/cases');
  const first = page.getByTestId('first-request');
  await expect(first.getByRole('heading', { name: 'Pas encore de demande' })).toBeVisible();
  await first.getByRole('link', { name: 'Écrire directement à un spécialiste' }).click();
  await expect(
    page.getByRole('heading', { level: 1, name: 'Demander à un spécialiste' }),
  ).toBeFocused();

  await diagnose(page, SAMPLE.file);
  await expect(page.getByTestId('top5')).toBeVisible();
  await expectNoViolations(page, 'result (advisor)');
});
