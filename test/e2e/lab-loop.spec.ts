// The lab's side of the loop: a producer consents to photo reuse, the specialist answers, then
// sends the case's photos to the image bank, where they land as validated images and queue a
// retraining.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import {
  expectNoViolations,
  frenchName,
  IMAGEBANK,
  openLabCase,
  register,
  SAMPLE,
  startApp,
  waitForServiceWorker,
} from './helpers';
import { mailsTo } from './mail-catcher';

// Not among the first photos the seed loads, nor the two lab.spec.ts submits to the bank.
const [PHOTO] = readdirSync(join(IMAGEBANK, SAMPLE.slug))
  .filter((f) => f.endsWith('.jpg'))
  .sort()
  .slice(-3, -2)
  .map((f) => join(IMAGEBANK, SAMPLE.slug, f));

interface LibraryImage {
  url: string;
  thumbUrl: string;
  credit: string;
  licence: string;
}

test('a consented case answered by the specialist joins the image bank', async ({
  page,
  browser,
}) => {
  const stamp = Date.now();
  const description = `Rouille à verser dans la banque — e2e ${stamp}`;

  const email = `lab-loop-${stamp}@example.org`;
  await startApp(page, 'producer');
  await register(page, email, 'phytodiag-e2e-pass');
  await page.goto('/#/escalate');
  await page.getByTestId('photo-input').setInputFiles(PHOTO);
  await expect(page.getByRole('img', { name: 'Photo 1' })).toBeVisible();
  await page.getByLabel('Culture').fill('Maïs');
  await page.getByLabel('Ce que vous observez').fill(description);
  await page
    .getByLabel('J’accepte que le laboratoire verse ces photos dans sa banque d’images')
    .check();
  // A call back needs a number: the form says so, and sends nothing until it has one.
  await page.getByLabel('Par téléphone').check();
  await page.getByTestId('submit-case').click();
  // The list of what is missing takes the focus, so it is read out and in view.
  const missing = page.getByTestId('missing-fields');
  await expect(missing).toHaveText(/Il manque\s:\s*le numéro de téléphone où vous joindre/);
  await expect(missing).toBeFocused();
  await expect(page.getByLabel('Numéro de téléphone')).toHaveAttribute('aria-invalid', 'true');
  await page.getByLabel('Numéro de téléphone').fill('418 555-0199');
  await expectNoViolations(page, 'escalate with photo-reuse consent and a call back');
  await page.getByTestId('submit-case').click();
  await expect(page.getByTestId('my-cases').getByText(description)).toBeVisible({
    timeout: 30_000,
  });
  // The line that said « sera envoyée » no longer promises what is done.
  await expect(page.getByTestId('cases-flash')).toHaveText('Demande envoyée au laboratoire.');
  // Opened, the request says by when the lab commits to answering.
  await page
    .getByTestId('my-cases')
    .getByRole('listitem')
    .filter({ hasText: description })
    .getByRole('link')
    .first()
    .click();
  await expect(page.getByTestId('case-due')).toHaveText(
    /^Le laboratoire s’engage à vous répondre (au plus tard le|d’ici la fin du) .+ \(jours ouvrables\)\.$/,
  );
  await page.goto('/#/cases');

  const { lab, context: labContext } = await openLabCase(browser, description);
  await expect(lab.getByRole('heading', { level: 1, name: /Demande · Maïs/ })).toBeVisible();
  await expect(lab.getByRole('link', { name: '418 555-0199' })).toHaveAttribute(
    'href',
    'tel:4185550199',
  );
  // Not answered yet: nothing to send to the bank.
  await expect(lab.getByRole('button', { name: 'Verser les photos dans la banque' })).toHaveCount(
    0,
  );
  // Never answered: the lab cannot close it without telling the requester why.
  await expect(lab.getByRole('button', { name: 'Fermer la demande' })).toHaveCount(0);
  await lab.getByText('Fermer sans répondre').click();
  await expect(lab.getByRole('button', { name: 'Fermer et envoyer le message' })).toBeDisabled();
  await lab.getByLabel('Pourquoi la demande est fermée (message au demandeur)').fill('Doublon.');
  await expect(lab.getByRole('button', { name: 'Fermer et envoyer le message' })).toBeEnabled();
  await lab.getByLabel('Pourquoi la demande est fermée (message au demandeur)').fill('');
  await lab.getByRole('button', { name: 'Prendre en charge' }).click();
  await expect(lab.getByTestId('case-status')).toHaveText('En cours d’examen');
  await lab.getByLabel('Diagnostic', { exact: true }).selectOption({
    label: frenchName(SAMPLE.slug),
  });
  await lab.getByLabel('Message au demandeur', { exact: true }).fill(`Rouille commune (${stamp}).`);
  await lab.getByTestId('send-answer').click();
  await expect(lab.getByTestId('case-status')).toHaveText('Répondue');
  // The producer hears of it by e-mail too: a link to the request, none of the lab's words.
  const mailDir = process.env.E2E_MAIL_DIR!;
  await expect.poll(() => mailsTo(mailDir, email).length, { timeout: 20_000 }).toBe(1);
  const mail = mailsTo(mailDir, email)[0]!;
  expect(mail).toContain('Le laboratoire a répondu à votre demande du');
  expect(mail).toContain('(Maïs)');
  expect(mail).toMatch(/http:\/\/127\.0\.0\.1:\d+\/#\/cases\/[0-9a-f-]{36}/);
  expect(mail).not.toContain(`Rouille commune (${stamp})`);

  await lab.getByRole('button', { name: 'Verser les photos dans la banque' }).click();
  const done = lab.getByTestId('to-bank-done');
  await expect(done).toContainText('1 photo ajoutée à la banque');
  await expect(done).toContainText(frenchName(SAMPLE.slug));
  await expect(done).toContainText('Un réentraînement du modèle est demandé.');
  await expectNoViolations(lab, 'lab case sent to the bank');

  // The photo is now a validated bank image of the diagnosed class: a public reference photo of
  // its library entry, credited to the consenting producer, and a retraining is queued.
  const entry = await lab.request.get(`/api/library/${SAMPLE.slug}`);
  expect(entry.ok()).toBe(true);
  const { images } = (await entry.json()) as { images: LibraryImage[] };
  const shared = images.filter((i) => i.licence === 'phytodiag-producer-consent');
  expect(shared).toHaveLength(1);
  expect(shared[0].credit).toMatch(/consentement/);
  const image = await lab.request.get(shared[0].url);
  expect(image.ok()).toBe(true);
  expect(image.headers()['content-type']).toMatch(/^image\//);
  const requests = await lab.request.get('/api/training-requests');
  const { items } = (await requests.json()) as { items: { status: string; reason: string }[] };
  expect(items.some((r) => r.reason.includes(SAMPLE.slug))).toBe(true);
  await labContext.close();

  // The producer's phone, opened again, shows the entry with that photo and keeps a copy of it
  // (the service worker's, which the browser would otherwise keep for a year).
  await waitForServiceWorker(page);
  await page.goto(`/#/library/${SAMPLE.slug}`);
  await page.reload();
  const refPhoto = page.getByRole('img', {
    name: `${frenchName(SAMPLE.slug)}, photo de référence ${images.indexOf(shared[0]) + 1} sur ${images.length}`,
  });
  await refPhoto.scrollIntoViewIfNeeded();
  const keptOnPhone = () =>
    page.evaluate(async (path) => {
      const keys = await (await caches.open('phytodiag-images-v1')).keys();
      return keys.some((r) => new URL(r.url).pathname === path);
    }, shared[0].thumbUrl);
  await expect.poll(keptOnPhone).toBe(true);

  // The producer changes their mind: the photo leaves the bank (and its library entry), and the
  // next model is trained without it.
  await page.goto('/#/cases');
  await page
    .getByTestId('my-cases')
    .getByRole('listitem')
    .filter({ hasText: description })
    .getByRole('link')
    .click();
  const reuse = page.getByTestId('photo-reuse');
  await expect(reuse).toContainText('Vous avez autorisé le laboratoire à verser ces photos');
  await reuse.getByRole('button', { name: 'Retirer mon autorisation' }).click();
  await expect(page.getByTestId('photo-reuse-done')).toHaveText(
    'Autorisation retirée : 1 photo a été retirée de la banque d’images; le prochain modèle sera entraîné sans elle.',
  );
  await expect(page.getByTestId('photo-reuse-done')).toBeFocused();
  await expect(reuse).toContainText('Ces photos servent seulement au diagnostic de votre demande.');
  await expectNoViolations(page, 'case detail, photo reuse withdrawn');
  const after = (await (await page.request.get(`/api/library/${SAMPLE.slug}`)).json()) as {
    images: LibraryImage[];
  };
  expect(after.images.filter((i) => i.licence === 'phytodiag-producer-consent')).toHaveLength(0);
  // Nor does the phone keep it, once its library is current again.
  await page.reload();
  await expect.poll(keptOnPhone).toBe(false);
});
