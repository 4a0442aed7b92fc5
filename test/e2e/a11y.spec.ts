import { expect, test } from '@playwright/test';
import { diagnose, expectNoViolations, SAMPLE, waitForLibrary } from './helpers';

test('axe-core: no WCAG 2.2 AA violation on any screen', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByRole('heading', { name: 'Qui êtes-vous?' })).toBeVisible();
  await expectNoViolations(page, 'welcome');
  await page.getByTestId('profile-advisor').click();
  await expect(page.getByRole('heading', { level: 1, name: 'Accueil' })).toBeVisible();
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
  ] as const) {
    await page.goto(`/${hash}`);
    await expect(page.getByRole('heading', { level: 1, name: heading })).toBeVisible();
    await expectNoViolations(page, hash);
  }

  await diagnose(page, SAMPLE.file);
  await expect(page.getByTestId('top5')).toBeVisible();
  await expectNoViolations(page, 'result (advisor)');
});
