import { expect, test } from '@playwright/test';
import { diagnose, frenchName, SAMPLE, startApp, waitForLibrary } from './helpers';

test('the result view follows the profile (producer → advisor → gardener)', async ({ page }) => {
  await startApp(page, 'producer');
  await waitForLibrary(page);
  await diagnose(page, SAMPLE.file);
  const resultUrl = page.url();
  await expect(page.getByTestId('top-name')).toHaveText(frenchName(SAMPLE.slug));
  await expect(page.getByRole('heading', { name: 'Quoi faire maintenant' })).toBeVisible();
  await expect(page.getByTestId('top5')).toHaveCount(0);

  await page.getByRole('navigation').getByRole('link', { name: 'Réglages' }).click();
  await page.getByTestId('settings-profile-advisor').click();
  await expect(page.getByTestId('settings-profile-advisor')).toBeChecked();
  await page.goto(resultUrl);
  await expect(page.getByTestId('top5').locator('tbody tr')).toHaveCount(5);
  await expect(page.getByRole('heading', { name: 'Sosies à écarter' })).toBeVisible();
  await expect(page.getByText('Puccinia sorghi').first()).toBeVisible();

  await page.getByRole('navigation').getByRole('link', { name: 'Réglages' }).click();
  await page.getByTestId('settings-profile-gardener').click();
  await expect(page.getByTestId('settings-profile-gardener')).toBeChecked();
  await page.goto(resultUrl);
  await expect(page.getByRole('heading', { name: 'En mots simples' })).toBeVisible();
  await expect(page.getByTestId('top5')).toHaveCount(0);
  await expect(page.getByTestId('ask-specialist')).toBeVisible();
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
