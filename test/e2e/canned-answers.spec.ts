import { expect, test } from '@playwright/test';
import type { CannedAnswerList } from '@phytodiag/api/contract';
import {
  expectFitsNarrowScreen,
  expectNoViolations,
  frenchName,
  signIn,
  startApp,
  waitForLibrary,
} from './helpers';

const SLUG = 'grape_esca';

test('a specialist writes, corrects and removes a canned answer', async ({ page }) => {
  await startApp(page, 'advisor');
  await waitForLibrary(page);
  await signIn(page, 'specialiste@demo.local', 'phytodiag-demo');
  await page.goto('/#/lab');
  await page.getByRole('link', { name: 'Réponses types' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Réponses types' })).toBeVisible();
  const cards = page.getByTestId('canned-list').getByRole('listitem');
  // From the server, not the screen: the list may not be drawn yet.
  const before = (
    (await (await page.request.get('/api/canned-answers')).json()) as CannedAnswerList
  ).items.length;
  await expect(cards).toHaveCount(before);

  await page.getByRole('button', { name: 'Ajouter une réponse type' }).click();
  const form = page.locator('form');
  // Nothing filled: what is missing is listed, in both languages, before anything is sent.
  await form.getByRole('button', { name: 'Enregistrer la réponse type' }).click();
  await expect(page.getByTestId('missing-fields')).toContainText('Message (en anglais)');
  await expect(page.getByTestId('missing-fields')).toBeFocused();

  await form.getByLabel('Diagnostic (fiche de la bibliothèque)').selectOption(SLUG);
  const fr = form.getByRole('group', { name: 'En français' });
  const en = form.getByRole('group', { name: 'En anglais' });
  await fr.getByLabel('Titre').fill('Esca confirmée');
  await fr
    .getByLabel('Message')
    .fill('Les stries jaunes et brunes entre les nervures indiquent l’esca.');
  await fr
    .getByLabel('Recommandations')
    .fill('Marquez les ceps atteints et taillez par temps sec.');
  await en.getByLabel('Titre').fill('Esca confirmed');
  await en.getByLabel('Message').fill('Yellow and brown stripes between the veins point to esca.');
  await en.getByLabel('Recommandations').fill('Mark affected vines and prune in dry weather.');
  await expectNoViolations(page, 'canned answer form');
  await form.getByRole('button', { name: 'Enregistrer la réponse type' }).click();
  await expect(page.getByRole('main').getByRole('status')).toHaveText(
    'Réponse type « Esca confirmée » enregistrée.',
  );
  await expect(cards).toHaveCount(before + 1);
  const card = cards.filter({ hasText: 'Esca confirmée' });
  await expect(card).toContainText(`Diagnostic : ${frenchName(SLUG)}`);
  // Whose words they are, for the colleagues who will use them.
  await expect(card).toContainText(/Modifiée le .+ par specialiste@demo\.local/);
  await expectFitsNarrowScreen(page);

  // Corrected: the form opens in the card with what it holds.
  await card.getByRole('button', { name: 'Modifier : Esca confirmée' }).click();
  await expect(page.getByLabel('Titre').first()).toHaveValue('Esca confirmée');
  await page.getByLabel('Titre').first().fill('Esca (maladie du bois) confirmée');
  await page.getByRole('button', { name: 'Enregistrer la réponse type' }).click();
  await expect(page.getByRole('main').getByRole('status')).toHaveText(
    'Réponse type « Esca (maladie du bois) confirmée » enregistrée.',
  );
  const saved = (
    (await (await page.request.get('/api/canned-answers')).json()) as CannedAnswerList
  ).items.find((c) => c.slug === SLUG);
  expect(saved?.fr.title).toBe('Esca (maladie du bois) confirmée');
  expect(saved?.en.title).toBe('Esca confirmed');

  // Removed, in two steps.
  const edited = cards.filter({ hasText: 'Esca (maladie du bois) confirmée' });
  // Named for its answer: a list of « Supprimer » buttons says which one each removes.
  await edited
    .getByRole('button', { name: /^Supprimer\s:\sEsca \(maladie du bois\) confirmée$/ })
    .click();
  await edited.getByRole('button', { name: 'Oui, supprimer' }).click();
  await expect(page.getByRole('main').getByRole('status')).toHaveText(
    'Réponse type « Esca (maladie du bois) confirmée » supprimée.',
  );
  await expect(cards).toHaveCount(before);
});
