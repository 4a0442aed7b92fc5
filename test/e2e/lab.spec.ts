import type { EscalationList } from '@phytodiag/api/contract';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import {
  expectNoViolations,
  frenchName,
  IMAGEBANK,
  register,
  SAMPLE,
  signIn,
  startApp,
  waitForLibrary,
  waitForServiceWorker,
} from './helpers';

// The last photos of a class: the seed (SEED_MAX_IMAGES_PER_CLASS) only loads the first ones, and
// the bank refuses a photo it already holds.
const UNSEEDED = readdirSync(join(IMAGEBANK, SAMPLE.slug))
  .filter((f) => f.endsWith('.jpg'))
  .sort()
  .slice(-2)
  .map((f) => join(IMAGEBANK, SAMPLE.slug, f));
// Unseeded too, and sent by no other spec (lab-loop.spec.ts takes the one before the two above).
const [ANOTHER] = readdirSync(join(IMAGEBANK, SAMPLE.slug))
  .filter((f) => f.endsWith('.jpg'))
  .sort()
  .slice(-4, -3)
  .map((f) => join(IMAGEBANK, SAMPLE.slug, f));

test('a producer case goes through the lab and back: queue, claim, answer, badge, rating', async ({
  page,
  browser,
}) => {
  const stamp = Date.now();
  const email = `lab-e2e-${stamp}@example.org`;
  const description = `Pustules brun-rouge sur les feuilles — lab e2e ${stamp}`;
  const message = `Il s'agit de la rouille commune (${stamp}).`;

  // Producer: account, then a case sent online.
  await startApp(page, 'producer');
  await register(page, email, 'phytodiag-e2e-pass');
  await page.goto('/#/escalate');
  await page.getByTestId('photo-input').setInputFiles(SAMPLE.file);
  // EXIF is read before the photo joins the form: wait for it, or submit sees none.
  await expect(page.getByRole('img', { name: 'Photo 1' })).toBeVisible();
  await page.getByLabel('Culture').fill('Maïs');
  await page.getByLabel('Ce que vous observez').fill(description);
  await page.getByTestId('submit-case').click();
  await expect(page.getByTestId('my-cases').getByText(description)).toBeVisible({
    timeout: 30_000,
  });
  // Producers get no lab tab.
  await expect(page.getByRole('link', { name: 'Labo' })).toHaveCount(0);

  // Specialist, in a second browser context (separate cookies and IndexedDB).
  const labContext = await browser.newContext();
  const lab = await labContext.newPage();
  await startApp(lab, 'advisor');
  await waitForLibrary(lab);
  await signIn(lab, 'specialiste@demo.local', 'phytodiag-demo');
  // A specialist lands on the queue; "Mes demandes" holds only their own requests (none).
  await expect(lab.getByRole('heading', { level: 1, name: 'File des demandes' })).toBeVisible();
  const ownList = lab.waitForResponse((r) => r.url().includes('/api/escalations?mine=true'));
  await lab.getByRole('navigation').getByRole('link', { name: 'Mes demandes' }).click();
  expect(((await (await ownList).json()) as EscalationList).items).toEqual([]);
  await expect(lab.getByTestId('my-cases').getByRole('listitem')).toHaveCount(0);
  await lab.getByRole('navigation', { name: 'Espace du laboratoire' }).getByRole('link').click();
  await expect(lab.getByRole('heading', { level: 1, name: 'File des demandes' })).toBeVisible();
  const item = lab.getByTestId('queue').getByRole('listitem').filter({ hasText: description });
  await expect(item).toHaveCount(1);
  await expect(item.getByText('Reçue')).toBeVisible();
  await expect(lab.getByTestId('queue-counts')).toBeVisible();
  await expectNoViolations(lab, 'lab queue');

  // Status filter: the new case is in "received", not in "answered".
  await lab.getByLabel('Statut', { exact: true }).selectOption('answered');
  await expect(
    lab.getByTestId('queue').getByRole('listitem').filter({ hasText: description }),
  ).toHaveCount(0);
  await lab.getByLabel('Statut', { exact: true }).selectOption('received');
  await expect(item).toHaveCount(1);

  await item.getByRole('link').click();
  await expect(lab.getByRole('heading', { level: 1, name: /Demande · Maïs/ })).toBeVisible();
  await expect(lab.getByText(description)).toBeVisible();
  // Photo zoom opens a modal dialog, keyboard closes it.
  await lab.getByRole('button', { name: /Agrandir la photo 1 sur 1/ }).press('Enter');
  await expect(lab.getByRole('dialog')).toBeVisible();
  await lab.keyboard.press('Escape');
  await expect(lab.getByRole('dialog')).toBeHidden();
  await expectNoViolations(lab, 'lab case');
  // Their language, to answer in: French, like the specialist's screen (no reminder then).
  await expect(lab.getByTestId('requester-language')).toHaveText('Français');
  // The requester's profile is theirs to declare, the lab's to correct (the queue's priority).
  const kind = lab.getByTestId('requester-kind');
  await expect(kind).toHaveValue('producer');
  const correct = lab.getByRole('button', { name: 'Corriger le profil' });
  await expect(correct).toBeDisabled();
  await kind.selectOption('advisor');
  await correct.click();
  await expect(lab.getByText('Profil du demandeur corrigé : la file suit.')).toBeVisible();
  await expect(kind).toHaveValue('advisor');
  await expect(correct).toBeDisabled();

  await lab.getByRole('button', { name: 'Prendre en charge' }).click();
  await expect(lab.getByTestId('case-status')).toHaveText('En cours d’examen');
  // Physical sample: the reference to write on it is shown, then its arrival is recorded.
  await lab.locator('summary', { hasText: 'Demander un échantillon physique' }).click();
  await lab.getByLabel('Instructions pour le producteur').fill('Envoyez 3 feuilles atteintes.');
  await lab.getByRole('button', { name: 'Demander un échantillon physique' }).click();
  await expect(lab.getByTestId('case-status')).toHaveText('Échantillon demandé');
  await expect(lab.getByTestId('case-ref')).toContainText(/PD-\d{4}-\d+/);
  await expect(lab.getByTestId('case-ref')).toContainText(
    'Le client voit aussi l’adresse d’envoi du laboratoire',
  );
  // The producer, meanwhile: the reference to write on the sample, and where to send it (the
  // demo address: LAB_SAMPLE_ADDRESS is not set). Opening the case reads its notification.
  const caseId = new URL(lab.url()).hash.split('/').pop() ?? '';
  await page.goto(`/#/cases/${caseId}`);
  await expect(page.getByTestId('sample-request')).toContainText(/PD-\d{4}-\d+/);
  await expect(page.getByTestId('sample-address')).toContainText(
    'Laboratoire de diagnostic Phytodiag',
  );
  await expectNoViolations(page, 'producer case, sample requested');
  await page.goto('/#/cases');
  await expect(page.getByRole('heading', { level: 1, name: 'Mes demandes' })).toBeVisible();
  await lab.getByRole('button', { name: 'Échantillon reçu' }).click();
  await expect(lab.getByTestId('case-status')).toHaveText('Échantillon reçu');
  await lab.getByLabel('Votre message').fill(`Échantillon bien reçu (${stamp}).`);
  await lab.getByRole('button', { name: 'Envoyer', exact: true }).click();
  await expect(
    lab.getByTestId('thread').getByText(`Échantillon bien reçu (${stamp}).`),
  ).toBeVisible();
  // The emptied form disables « Envoyer »: the focus goes to what happened, not to <body>.
  await expect(lab.getByRole('status').filter({ hasText: 'Message envoyé.' })).toBeFocused();
  await lab.getByLabel('Diagnostic', { exact: true }).selectOption({
    label: frenchName(SAMPLE.slug),
  });
  await lab.getByLabel('Message au demandeur', { exact: true }).fill(message);
  await lab.getByLabel('Recommandations').fill('Notez la sensibilité de l’hybride.');
  await lab.getByTestId('send-answer').click();
  // The lab's side says it from the lab's point of view, and confirms the answer went out.
  await expect(lab.getByTestId('case-status')).toHaveText('Répondue');
  // The answer form is gone: the confirmation holds the focus.
  await expect(
    lab.getByRole('status').filter({ hasText: 'Réponse envoyée au demandeur.' }),
  ).toBeFocused();

  // Written by hand: the lab may keep it as a canned answer, the other language to write.
  await lab.getByRole('button', { name: 'Garder comme réponse type' }).click();
  await expect(lab.getByRole('heading', { level: 1, name: 'Réponses types' })).toBeVisible();
  await expect(lab.getByTestId('canned-from-case')).toBeVisible();
  const inFrench = lab.getByRole('group', { name: 'En français' });
  await expect(inFrench.getByLabel('Titre')).toHaveValue(frenchName(SAMPLE.slug));
  await expect(inFrench.getByLabel('Message')).toHaveValue(message);
  await expect(inFrench.getByLabel('Recommandations')).toHaveValue(
    'Notez la sensibilité de l’hybride.',
  );
  const inEnglish = lab.getByRole('group', { name: 'En anglais' });
  await inEnglish.getByLabel('Titre').fill('Confirmed');
  await inEnglish.getByLabel('Message').fill('The lab confirms it.');
  await inEnglish.getByLabel('Recommandations').fill('Note the hybrid’s susceptibility.');
  await lab.getByRole('button', { name: 'Enregistrer la réponse type' }).click();
  const kept = `Réponse type « ${frenchName(SAMPLE.slug)} » enregistrée.`;
  await expect(lab.getByRole('main').getByRole('status')).toHaveText(kept);
  // Taken out again: other specs pick canned answers by their titles.
  const card = lab
    .getByTestId('canned-list')
    .getByRole('listitem')
    .filter({ hasText: 'Notez la sensibilité de l’hybride.' });
  await card.getByRole('button', { name: 'Supprimer' }).click();
  await card.getByRole('button', { name: 'Oui, supprimer' }).click();
  await expect(lab.getByRole('main').getByRole('status')).toContainText('supprimée');
  await labContext.close();

  // Producer: badge in the navigation, the answer, then a rating.
  await page.reload();
  const badge = page.getByTestId('unread-badge');
  await expect(badge).toBeVisible({ timeout: 30_000 });
  // The message and the answer: two unread notifications (the sample request was read above).
  await expect(badge).toContainText('2');
  const mine = page.getByTestId('my-cases').getByRole('listitem').filter({ hasText: description });
  await expect(mine.getByText('Réponse reçue')).toBeVisible();
  await mine.getByRole('link').click();
  const answer = page.getByTestId('answer');
  await expect(answer.getByText(message)).toBeVisible();
  await expect(answer.getByText(frenchName(SAMPLE.slug))).toBeVisible();
  await expect(page.getByTestId('sample-request')).toContainText(/PD-\d{4}-\d+/);
  // The sample arrived: no address any more.
  await expect(page.getByTestId('sample-address')).toHaveCount(0);
  await expect(
    page.getByTestId('thread').getByText(`Échantillon bien reçu (${stamp}).`),
  ).toBeVisible();
  await expect(badge).toHaveCount(0);
  await expectNoViolations(page, 'producer case detail');

  await page.getByTestId('rating-form').getByRole('radio', { name: '5 sur 5' }).check();
  await page.getByLabel('Commentaire (facultatif)').fill('Réponse claire, merci.');
  await page.getByRole('button', { name: 'Envoyer mon avis' }).click();
  await expect(page.getByTestId('rating-done')).toContainText('5 sur 5');
  // The form is gone; its thanks take the focus, not the page's start.
  await expect(page.getByTestId('rating-done')).toBeFocused();

  // Reply in the thread with a photo.
  await page.getByLabel('Votre message').fill(`Merci, photo du dessous jointe (${stamp}).`);
  await page.getByTestId('case-msg-photo').setInputFiles(SAMPLE.file);
  await expect(page.getByText('1 photo jointe')).toBeVisible();
  await page.getByRole('button', { name: 'Envoyer', exact: true }).click();
  const reply = page
    .getByTestId('thread')
    .getByRole('listitem')
    .filter({ hasText: `Merci, photo du dessous jointe (${stamp}).` });
  await expect(reply.getByRole('button', { name: /Agrandir la photo 1 sur 1/ })).toBeVisible();

  // The answer stays readable offline (IndexedDB copy).
  await waitForServiceWorker(page);
  await page.context().setOffline(true);
  await page.reload();
  await expect(page.getByTestId('answer').getByText(message)).toBeVisible();
  await expect(
    page.getByTestId('thread').getByText(`Échantillon bien reçu (${stamp}).`),
  ).toBeVisible();
  // The case photo too, even full size (never opened online: kept by the case-photo cache).
  const thumb = page.getByRole('button', { name: /Agrandir la photo 1 sur 1/ }).first();
  await expect(thumb.locator('img')).toHaveJSProperty('complete', true);
  expect(
    await thumb.locator('img').evaluate((i: HTMLImageElement) => i.naturalWidth),
  ).toBeGreaterThan(0);
  await thumb.click();
  const full = page.getByRole('dialog').getByRole('img');
  await expect(full).toHaveJSProperty('complete', true);
  expect(await full.evaluate((i: HTMLImageElement) => i.naturalWidth)).toBeGreaterThan(0);
  await page.keyboard.press('Escape');
  await page.context().setOffline(false);
});

test('lab screens are role-gated and accessible (bank upload, curation)', async ({ page }) => {
  await startApp(page, 'advisor');
  await page.goto('/#/lab');
  await expect(page.getByRole('heading', { level: 1, name: 'Accès réservé' })).toBeVisible();
  await expect(page.getByText('Cet écran est réservé au personnel du laboratoire.')).toBeVisible();
  await expect(page.getByRole('link', { name: 'Se connecter' })).toBeVisible();
  // Staff surveillance points outsiders to the public view of the same data.
  await page.goto('/#/surveillance');
  await page.getByRole('link', { name: 'Voir la situation phytosanitaire au Québec' }).click();
  await expect(
    page.getByRole('heading', { level: 1, name: 'Situation phytosanitaire' }),
  ).toBeVisible();
  await waitForLibrary(page);
  await signIn(page, 'specialiste@demo.local', 'phytodiag-demo');
  // Submit two labelled photos, then curate them.
  await page.goto('/#/bank/upload');
  await page.getByTestId('bank-input').setInputFiles(UNSEEDED);
  // Sent too early: the form lists what it still needs, and only that.
  await page.getByTestId('bank-submit').click();
  const missing = page.getByTestId('missing-fields').getByRole('listitem');
  await expect(missing).toContainText(['l’étiquette (ce que montrent les photos)', 'la culture']);
  await expect(page.getByLabel('Étiquette')).toHaveAttribute('aria-invalid', 'true');
  // Proposing a "new" class the library already has is caught before the upload.
  await page.getByLabel('Étiquette').selectOption({ label: 'Nouvelle classe (proposée)' });
  await page.getByLabel('Nom en français').fill(` ${frenchName(SAMPLE.slug).toUpperCase()}`);
  const duplicate = page.getByTestId('bank-duplicate');
  await expect(duplicate).toContainText(
    `« ${frenchName(SAMPLE.slug)} » est déjà dans la bibliothèque`,
  );
  await duplicate.getByRole('button', { name: `Choisir « ${frenchName(SAMPLE.slug)} »` }).click();
  await expect(page.getByLabel('Étiquette')).toHaveValue(SAMPLE.slug);
  await expect(duplicate).toHaveCount(0);
  // The label names its crop, so the crop is filled in.
  await expect(page.getByLabel('Culture')).toHaveValue('Maïs');
  await page.getByLabel('Crédit (auteur)').fill('Équipe e2e');
  await expect(page.getByTestId('missing-fields')).toHaveCount(0);
  await page.getByTestId('bank-submit').click();
  await expect(page.getByTestId('bank-done')).toContainText('2 photos envoyées.');
  await expect(page.getByRole('progressbar', { name: 'Envoi de la photo 2' })).toHaveAttribute(
    'value',
    '100',
  );
  await page.goto('/#/bank/review');
  const submission = page.getByTestId('submissions').getByRole('listitem').filter({
    hasText: 'Équipe e2e',
  });
  await expect(submission).toHaveCount(1);
  // The licence as the upload form named it, not its SPDX id.
  await expect(submission).toContainText('Crédit : Équipe e2e · CC BY 4.0');
  await expectNoViolations(page, 'bank review');
  // Photo by photo: keep the first, refuse the second (a reason is required, and said so).
  const progress = submission.getByRole('progressbar');
  await expect(progress).toHaveAttribute('value', '0');
  await submission.getByRole('button', { name: 'Valider la photo 1' }).click();
  await expect(submission.getByText('Validée', { exact: true })).toBeVisible();
  await expect(progress).toHaveAttribute('value', '1');
  await expect(submission.getByText('1 photo examinée sur 2')).toBeVisible();
  await submission.getByRole('button', { name: 'Refuser la photo 2' }).click();
  await expect(submission.getByRole('alert')).toHaveText(
    'Indiquez le motif avant de refuser ou de retirer une photo.',
  );
  await expect(submission.getByLabel('Motif (refus ou retrait)')).toBeFocused();
  await submission.getByLabel('Motif (refus ou retrait)').fill('Photo floue');
  await submission.getByRole('button', { name: 'Refuser la photo 2' }).click();
  // Fully reviewed: it leaves the pending list.
  await expect(submission).toHaveCount(0);

  // A batch holding a photo the bank already has: the new one goes, the other is named.
  await page.goto('/#/bank/upload');
  await page.getByTestId('bank-input').setInputFiles([UNSEEDED[0] ?? '', ANOTHER ?? '']);
  await page.getByLabel('Étiquette').selectOption(SAMPLE.slug);
  // This one is for the lab's use only: it will train the model, never reach the library.
  await page.getByLabel('Licence').selectOption({ label: 'Usage du laboratoire seulement' });
  await expect(page.getByLabel('Licence')).toHaveAccessibleDescription(
    /servent à entraîner le modèle et restent au laboratoire\.$/,
  );
  await page.getByTestId('bank-submit').click();
  await expect(page.getByTestId('bank-done')).toHaveText(
    '1 photo envoyée. Elle attend la validation d’un spécialiste. Pour un nouvel envoi, ajoutez ' +
      'd’autres photos. La photo 1 était déjà dans la banque : elle n’a pas été ajoutée une ' +
      'seconde fois.',
  );
  const photos = page.getByRole('main').getByRole('list').first().getByRole('listitem');
  await expect(photos.nth(0)).toContainText('Déjà dans la banque');
  await expect(photos.nth(1).getByRole('progressbar')).toHaveAttribute('value', '100');
  await page.goto('/#/bank/review');
  const labOnly = page.getByTestId('submissions').getByRole('listitem').filter({
    hasText: 'Usage du laboratoire seulement',
  });
  await expect(labOnly).toContainText('Crédit : Spécialiste démo · Usage du laboratoire seulement');
  await labOnly.getByRole('button', { name: 'Valider la photo 1' }).click();
  await expect(labOnly).toHaveCount(0);
  // Validated, it is in the bank, not in the library: the photo kept above is, this one is not.
  const entry = (await (await page.request.get(`/api/library/${SAMPLE.slug}`)).json()) as {
    images: { credit: string; licence: string }[];
  };
  expect(entry.images.filter((i) => i.credit === 'Équipe e2e').map((i) => i.licence)).toEqual([
    'CC-BY-4.0',
  ]);
  expect(entry.images.filter((i) => i.licence === 'lab-use-only')).toEqual([]);
  // The library credits the contributor under the licence's name, not its SPDX id.
  // (A fresh start: the library syncs the validated photo to the device, first in its gallery.)
  await page.goto(`/#/library/${SAMPLE.slug}`);
  await page.reload();
  const credits = page.getByTestId('photo-credits');
  await credits.getByText('Sources des photos').click();
  await expect(credits.getByRole('listitem').filter({ hasText: 'Équipe e2e' })).toHaveText(
    /^Équipe e2e — licence\s:\sCC BY 4\.0 \(1 photo\)$/,
  );

  for (const [hash, heading] of [
    ['#/bank/upload', 'Soumettre des photos'],
    ['#/bank/review', 'Photos à valider'],
  ] as const) {
    await page.goto(`/${hash}`);
    await expect(page.getByRole('heading', { level: 1, name: heading })).toBeVisible();
    await expectNoViolations(page, hash);
  }

  // A mistyped link to a request says so, and leads back to the queue.
  await page.goto('/#/lab/surveillance');
  await expect(
    page.getByRole('alert').filter({
      hasText: 'Demande introuvable : ce lien ne correspond à aucune demande.',
    }),
  ).toBeVisible();
  await page.getByRole('link', { name: 'Retour à la file' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'File des demandes' })).toBeVisible();

  // Model versions and AI/specialist agreement, linked from the queue header.
  const served = (await (await page.request.get('/api/model/manifest')).json()) as {
    version: string;
  };
  await page.goto('/#/lab');
  await page.getByRole('link', { name: 'Modèles' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Modèles' })).toBeVisible();
  const current = page
    .getByTestId('model-versions')
    .getByRole('listitem')
    .filter({
      has: page.getByRole('heading', { name: `Version ${served.version}`, exact: true }),
    });
  await expect(current.getByText('En service')).toBeVisible();
  // The photo validated above waits for a retraining (no training worker in this suite).
  await expect(page.getByTestId('training-requests').getByRole('listitem').first()).toContainText(
    /^En file demandé le .+ · \d+ nouvelles? photos?( · \d+ photos? retirées?)?$/,
  );
  // The specialist sees the versions; rolling back is an admin's decision.
  await expect(page.getByRole('button', { name: 'Revenir à cette version' })).toHaveCount(0);
  await expectNoViolations(page, 'models');
  await page.goto('/#/lab');
  await page.getByRole('link', { name: 'Accord IA / spécialiste' }).click();
  await expect(
    page.getByRole('heading', { level: 1, name: 'Accord IA / spécialiste' }),
  ).toBeVisible();
  await expect(page.getByText('Aucune demande').or(page.getByTestId('agreement'))).toBeVisible();
  await expectNoViolations(page, 'agreement');
});

// Two photos of a class no other spec sends to the bank (its last ones: not seeded either).
const CONTRIBUTED = readdirSync(join(IMAGEBANK, 'apple_cedar_apple_rust'))
  .filter((f) => f.endsWith('.jpg'))
  .sort()
  .slice(-2)
  .map((f) => join(IMAGEBANK, 'apple_cedar_apple_rust', f));
// The one before them, sent under a proposed new class.
const [PROPOSED] = readdirSync(join(IMAGEBANK, 'apple_cedar_apple_rust'))
  .filter((f) => f.endsWith('.jpg'))
  .sort()
  .slice(-3, -2)
  .map((f) => join(IMAGEBANK, 'apple_cedar_apple_rust', f));

test('an agronomist follows their photos: refused, then taken out of the bank, then sent again', async ({
  page,
  browser,
}) => {
  const credit = `Agronome e2e ${Date.now()}`;
  const upload = async () => {
    await page.goto('/#/bank/upload');
    await page.getByTestId('bank-input').setInputFiles(CONTRIBUTED);
    await page.getByLabel('Étiquette').selectOption('apple_cedar_apple_rust');
    await page.getByLabel('Crédit (auteur)').fill(credit);
    await page.getByTestId('bank-submit').click();
  };
  await startApp(page, 'advisor');
  await waitForLibrary(page);
  await signIn(page, 'agronome@demo.local', 'phytodiag-demo');
  await upload();
  await expect(page.getByTestId('bank-done')).toContainText('2 photos envoyées.');
  // And one photo of a class the library lacks: the curator sees all that validating creates.
  await page.getByTestId('bank-input').setInputFiles(PROPOSED ?? '');
  await page.getByLabel('Étiquette').selectOption({ label: 'Nouvelle classe (proposée)' });
  await page.getByLabel('Nom en français').fill(`Rouille grillagée du poirier ${credit}`);
  await page.getByLabel('Nom en anglais').fill(`Pear trellis rust ${credit}`);
  await page.getByLabel('Type').selectOption({ label: 'Maladie' });
  await page.getByLabel('Culture').fill('Poirier');
  await page.getByTestId('bank-submit').click();
  await expect(page.getByTestId('bank-done')).toContainText('1 photo envoyée.');

  // The lab keeps photo 1, refuses photo 2, then finds photo 1 mislabelled and takes it out.
  const labContext = await browser.newContext();
  const lab = await labContext.newPage();
  await startApp(lab, 'advisor');
  await signIn(lab, 'specialiste@demo.local', 'phytodiag-demo');
  await lab.goto('/#/bank/review');
  await expect(
    lab
      .getByTestId('submissions')
      .getByRole('listitem')
      .filter({ hasText: `Rouille grillagée du poirier ${credit}` })
      .getByTestId('proposed-class'),
  ).toHaveText(
    `Nouvelle classe proposée — type : Maladie · culture : Poirier · nom français : « Rouille ` +
      `grillagée du poirier ${credit} » · nom anglais : « Pear trellis rust ${credit} ». La ` +
      'valider crée cette fiche dans la bibliothèque.',
  );
  const card = lab
    .getByTestId('submissions')
    .getByRole('listitem')
    .filter({ hasText: credit })
    .filter({ hasNot: lab.getByTestId('proposed-class') });
  await card.getByRole('button', { name: 'Valider la photo 1' }).click();
  await card.getByLabel('Motif (refus ou retrait)').fill('Photo floue');
  await card.getByRole('button', { name: 'Refuser la photo 2' }).click();
  await expect(card).toHaveCount(0);
  await lab.getByRole('button', { name: 'Déjà dans la banque' }).click();
  await expect(lab.getByRole('button', { name: 'Déjà dans la banque' })).toHaveAttribute(
    'aria-pressed',
    'true',
  );
  await expect(lab.getByRole('heading', { level: 1 })).toHaveText('Photos dans la banque');
  await expect(card.getByText('Validée', { exact: true })).toBeVisible();
  await expect(card.getByText('Motif : Photo floue')).toBeVisible();
  await expectNoViolations(lab, 'bank review, validated');
  await card
    .getByLabel('Motif (refus ou retrait)')
    .fill('Rouille grillagée, pas rouille du pommier');
  const removedImages = async () => {
    const list = (await (await lab.request.get('/api/training-requests')).json()) as {
      items: { status: string; removedImages: number }[];
    };
    return list.items.find((r) => r.status === 'queued')?.removedImages ?? 0;
  };
  const removedBefore = await removedImages();
  await card.getByRole('button', { name: 'Retirer la photo 1 de la banque' }).click();
  // Nothing of it left in the bank: the card leaves the list.
  await expect(card).toHaveCount(0);
  expect(await removedImages()).toBe(removedBefore + 1);
  // The proposed class is validated with its one photo: too few to be trained on.
  await lab.getByRole('button', { name: 'À valider' }).click();
  await lab
    .getByTestId('submissions')
    .getByRole('listitem')
    .filter({ hasText: `Rouille grillagée du poirier ${credit}` })
    .getByRole('button', { name: 'Valider la photo 1' })
    .click();
  // The retraining it queued says what leaves the bank, not only what came in; and which
  // class it will leave out, until it has enough photos.
  await lab.goto('/#/models');
  await expect(lab.getByTestId('training-requests').getByRole('listitem').first()).toContainText(
    /^En file demandé le .+ · \d+ nouvelles? photos? · \d+ photos? retirées?$/,
  );
  await expect(lab.getByTestId('waiting-classes')).toContainText(
    'Pas encore apprises par le modèle : il faut au moins 3 photos validées par classe.',
  );
  await expect(lab.getByTestId('waiting-classes').getByRole('listitem')).toHaveText([
    `Rouille grillagée du poirier ${credit} : 1 photo validée, 2 de plus à valider`,
  ]);
  await labContext.close();

  // The author reads both decisions and their reasons.
  await page.goto('/#/bank/upload');
  await page.getByRole('link', { name: /^Mes contributions/ }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Mes contributions' })).toBeVisible();
  const mine = page
    .getByTestId('contributions')
    .getByRole('listitem')
    .filter({
      has: page.getByRole('heading', { name: frenchName('apple_cedar_apple_rust') }),
    });
  const photos = mine.first().getByRole('list', { name: 'Décision photo par photo' });
  const [first, second] = [
    photos.getByRole('listitem').nth(0),
    photos.getByRole('listitem').nth(1),
  ];
  await expect(first).toContainText('Retirée de la banque');
  await expect(first).toContainText('Motif : Rouille grillagée, pas rouille du pommier');
  await expect(second).toContainText('Refusée');
  await expect(second).toContainText('Motif : Photo floue');
  await expectNoViolations(page, 'my contributions');

  // Both may be sent again (the first relabelled, the second sharper): neither is « déjà là ».
  await upload();
  await expect(page.getByTestId('bank-done')).toHaveText(
    '2 photos envoyées. Elles attendent la validation d’un spécialiste. Pour un nouvel envoi, ' +
      'ajoutez d’autres photos.',
  );
  await page.goto('/#/bank/mine');
  await expect(mine.first().getByText('À examiner')).toHaveCount(2);
});

test.describe('queue pages', () => {
  // page.route sees only the page's own requests: with a service worker in control, the queue
  // would sometimes be fetched through it, unpaged (the specialist now lands on the queue at
  // sign-in, while the worker takes over).
  test.use({ serviceWorkers: 'block' });

  test('the queue comes in pages: the next requests are appended on demand', async ({
    page,
    browser,
  }) => {
    // Two cases sent through the API by a new producer (the UI flow is covered above).
    const producer = await browser.newContext();
    const api = producer.request;
    const stamp = Date.now();
    const email = `pages-e2e-${stamp}@example.org`;
    const account = { email, password: 'phytodiag-e2e-pass' };
    const registered = await api.post('/api/auth/register', {
      data: { ...account, profileKind: 'producer' },
    });
    expect(registered.status()).toBe(201);
    expect((await api.post('/api/auth/login', { data: account })).status()).toBe(200);
    const photos = readdirSync(join(IMAGEBANK, SAMPLE.slug))
      .filter((f) => f.endsWith('.jpg'))
      .sort()
      .slice(0, 2);
    for (const [i, file] of photos.entries()) {
      const res = await api.post('/api/escalations', {
        multipart: {
          photo: {
            name: file,
            mimeType: 'image/jpeg',
            buffer: readFileSync(join(IMAGEBANK, SAMPLE.slug, file)),
          },
          case: JSON.stringify({
            clientId: crypto.randomUUID(),
            crop: 'Maïs',
            description: `Pages e2e ${stamp} n° ${i + 1}`,
          }),
        },
      });
      expect(res.status(), await res.text()).toBe(201);
    }
    await producer.close();

    // The specialist's queue asked one case at a time (the app asks 200), so paging shows.
    await page.route(/\/api\/escalations(\?.*)?$/, (route) => {
      const url = new URL(route.request().url());
      url.searchParams.set('limit', '1');
      return route.continue({ url: url.toString() });
    });
    await startApp(page, 'advisor');
    await signIn(page, 'specialiste@demo.local', 'phytodiag-demo');
    await page.goto('/#/lab');
    const items = page.getByTestId('queue').getByRole('listitem');
    await expect(items).toHaveCount(1);
    await expect(
      page.getByRole('status').filter({ hasText: 'la file en compte d’autres' }),
    ).toBeVisible();
    await page.getByRole('button', { name: 'Afficher les demandes suivantes' }).click();
    await expect(items).toHaveCount(2);
    const ids = await items
      .getByRole('link')
      .evaluateAll((links) => links.map((a) => a.getAttribute('href')));
    expect(new Set(ids).size).toBe(2);
  });
});
