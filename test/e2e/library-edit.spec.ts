import { expect, test, type Page } from '@playwright/test';
import type { EditableLibraryEntry } from '@phytodiag/api/contract';
import {
  expectNoViolations,
  frenchName,
  signIn,
  startApp,
  waitForLibrary,
  waitForServiceWorker,
} from './helpers';

// An entry no other spec reads: its sheet changes here.
const SLUG = 'insect_mealybug';
const NAME = frenchName(SLUG);
const ADDED = 'Note du laboratoire : signaler tout foyer en serre de fraises.';

async function openEditor(page: Page): Promise<void> {
  await page.goto(`/#/library/${SLUG}`);
  await expect(page.getByRole('heading', { level: 1, name: NAME })).toBeVisible();
  await page.getByRole('link', { name: 'Modifier la fiche' }).click();
  await expect(
    page.getByRole('heading', { level: 1, name: `Modifier la fiche : ${NAME}` }),
  ).toBeVisible();
}

const actNow = (page: Page, lang: 'fr' | 'en') =>
  page
    .getByRole('group', { name: lang === 'fr' ? 'Fiche en français' : 'Fiche en anglais' })
    .getByLabel('Producteur : quoi faire maintenant');

/** Whether the device holds a draft of the entry (IndexedDB, as the app keeps it). */
const draftKept = (page: Page) =>
  page.evaluate(
    (slug) =>
      new Promise<boolean>((resolve, reject) => {
        const open = indexedDB.open('phytodiag');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const get = open.result.transaction('entryDrafts').objectStore('entryDrafts').get(slug);
          get.onsuccess = () => {
            resolve(get.result !== undefined);
            open.result.close();
          };
        };
      }),
    SLUG,
  );

test('a specialist corrects a fact sheet; a producer’s device shows it, offline too', async ({
  page,
  browser,
}) => {
  await startApp(page, 'advisor');
  await waitForLibrary(page);
  // Nobody but the lab is offered the editor.
  await page.goto(`/#/library/${SLUG}`);
  await expect(page.getByRole('heading', { level: 1, name: NAME })).toBeVisible();
  await expect(page.getByRole('link', { name: 'Modifier la fiche' })).toHaveCount(0);

  await signIn(page, 'specialiste@demo.local', 'phytodiag-demo');
  await openEditor(page);
  await expect(page.getByTestId('last-edit')).toHaveText(/Contenu d’origine/);
  await expectNoViolations(page, 'library editor');

  // What is typed is kept on the device: a reload (a locked phone, a wrong tap) loses nothing.
  const typed = `${await actNow(page, 'fr').inputValue()}\nBrouillon à reprendre`;
  await actNow(page, 'fr').fill(typed);
  await expect.poll(() => draftKept(page)).toBe(true);
  await page.reload();
  await expect(page.getByTestId('draft-restored')).toContainText('Brouillon non enregistré du');
  await expect(actNow(page, 'fr')).toHaveValue(typed);
  await page.getByRole('button', { name: 'Abandonner le brouillon' }).click();
  await expect(actNow(page, 'fr')).not.toHaveValue(/Brouillon à reprendre/);
  await expect.poll(() => draftKept(page)).toBe(false);

  // A started sheet needs every field in both languages: what is missing is listed, and the
  // server is not asked.
  const englishActNow = await actNow(page, 'en').inputValue();
  await actNow(page, 'en').fill('');
  await page.getByRole('button', { name: 'Enregistrer la fiche' }).click();
  await expect(page.getByTestId('missing-fields')).toContainText(
    'Producteur : quoi faire maintenant (fiche en anglais)',
  );
  await expect(page.getByTestId('missing-fields')).toBeFocused();
  await actNow(page, 'en').fill(englishActNow);

  // A colleague saves the same entry meanwhile (same edition, another change).
  const opened = (await (
    await page.request.get(`/api/library/${SLUG}/editable`)
  ).json()) as EditableLibraryEntry;
  const colleague = await page.request.put(`/api/library/${SLUG}`, {
    data: {
      edition: opened.edition,
      name: opened.name,
      crop: opened.crop,
      scientificName: 'Pseudococcidae (famille)',
      lookAlikes: opened.lookAlikes,
      factSheet: opened.factSheet,
    },
  });
  expect(colleague.status()).toBe(200);

  const field = actNow(page, 'fr');
  await field.fill(`${await field.inputValue()}\n${ADDED}`);
  await page.getByRole('button', { name: 'Enregistrer la fiche' }).click();
  await expect(page.getByRole('alert')).toContainText(
    'Quelqu’un a enregistré cette fiche depuis que vous l’avez ouverte',
  );
  // The text typed is still there; the specialist chooses to save it over the colleague's.
  await expect(field).toHaveValue(new RegExp(ADDED));
  await page.getByRole('button', { name: 'Enregistrer mes changements par-dessus' }).click();

  await expect(page.getByRole('heading', { level: 1, name: NAME })).toBeVisible();
  await expect(page.getByTestId('entry-flash')).toHaveText(
    'Fiche enregistrée. Les appareils la recevront à leur prochaine synchronisation.',
  );
  // Saved: the draft is gone with it.
  await expect.poll(() => draftKept(page)).toBe(false);
  const saved = (await (
    await page.request.get(`/api/library/${SLUG}/editable`)
  ).json()) as EditableLibraryEntry;
  expect(saved.factSheet?.fr.producer.actNow.at(-1)).toBe(ADDED);
  expect(saved.factSheet?.en.producer.actNow.join('\n')).toBe(englishActNow);
  // Saved over the colleague's edition: their scientific name went with the form's.
  expect(saved.scientificName).toBe(opened.scientificName);
  expect(saved.lastEdit?.by).toBe('specialiste@demo.local');

  // A producer's phone picks the change up with the library's sync, and keeps it offline.
  const phone = await browser.newContext({ locale: 'fr-CA' });
  try {
    const producer = await phone.newPage();
    await startApp(producer, 'producer');
    await waitForServiceWorker(producer);
    await waitForLibrary(producer);
    await producer.goto(`/#/library/${SLUG}`);
    await expect(producer.getByRole('heading', { level: 1, name: NAME })).toBeVisible();
    await expect(producer.getByText(ADDED)).toBeVisible();
    await phone.setOffline(true);
    await producer.reload();
    await expect(producer.getByText(ADDED)).toBeVisible();
  } finally {
    await phone.close();
  }

  // Saving over the colleague lost nothing: their version is one of the earlier ones, and
  // taking it back into the form, then saving, restores it.
  await openEditor(page);
  await expect(page.getByTestId('last-edit')).toHaveText(/par specialiste@demo\.local\.$/);
  await page.getByText('Versions précédentes (2)').click();
  const earlier = page.getByTestId('earlier-editions');
  await expect(earlier.getByRole('listitem').last()).toContainText('Contenu d’origine');
  await earlier
    .getByRole('button', { name: /^Reprendre dans le formulaire/ })
    .first()
    .click();
  await expect(page.getByText('Version reprise dans le formulaire')).toBeVisible();
  await expectNoViolations(page, 'library editor, earlier versions');
  await expect(page.getByLabel('Nom scientifique (facultatif)')).toHaveValue(
    'Pseudococcidae (famille)',
  );
  await expect(actNow(page, 'fr')).not.toHaveValue(new RegExp(ADDED));
  await page.getByRole('button', { name: 'Enregistrer la fiche' }).click();
  await expect(page.getByTestId('entry-flash')).toContainText('Fiche enregistrée');
  await expect(page.getByText('Pseudococcidae (famille)')).toBeVisible();
});
