import { expect, test, type Page } from '@playwright/test';
import { diagnose, SAMPLE, signIn, startApp, waitForLibrary } from './helpers';

// WCAG 2.2 AA 1.4.10 (reflow): at 320 CSS px (a small phone, or 1280 px at 400 % zoom) no screen
// scrolls sideways and no button cuts its words. A walk at 320 px found the empty "Mes demandes"
// buttons side by side with their words cut ("iagnostique"), and the bank upload's region list
// 57 px wider than the screen. Data tables may scroll inside their own region (WCAG allows it);
// the public and agreement tables are checked in surveillance.spec.
const WIDTH = 320;

interface Reflow {
  pageOverflow: number;
  cutButtons: string[];
}

async function reflow(page: Page): Promise<Reflow> {
  return page.evaluate(() => {
    const root = document.documentElement;
    const cutButtons = Array.from(document.querySelectorAll<HTMLElement>('.btn, button'))
      .filter((b) => b.getBoundingClientRect().width > 0 && b.scrollWidth > b.clientWidth + 1)
      .map((b) => b.innerText.trim());
    return { pageOverflow: root.scrollWidth - root.clientWidth, cutButtons };
  });
}

/** Opens each screen (hash → its heading) and checks it reflows. */
async function expectReflow(
  page: Page,
  screens: readonly (readonly [string, string | RegExp])[],
): Promise<void> {
  for (const [hash, heading] of screens) {
    await page.goto(`/${hash}`);
    await expect(page.getByRole('heading', { level: 1, name: heading })).toBeVisible();
    expect(await reflow(page), hash).toEqual({ pageOverflow: 0, cutButtons: [] });
  }
}

test.use({ viewport: { width: WIDTH, height: 640 } });

test('320 px: the field screens reflow without sideways scrolling or cut buttons', async ({
  page,
}) => {
  await startApp(page, 'producer');
  await waitForLibrary(page);
  expect(await reflow(page), 'home').toEqual({ pageOverflow: 0, cutButtons: [] });
  await expectReflow(page, [
    ['#/diagnose', 'Diagnostiquer une photo'],
    ['#/library', 'Bibliothèque'],
    ['#/library/corn_gray_leaf_spot', /Tache grise/],
    ['#/escalate', 'Demander à un spécialiste'],
    ['#/cases', 'Mes demandes'],
    ['#/login', 'Connexion'],
    ['#/register', 'Créer un compte'],
    ['#/settings', 'Réglages'],
    ['#/public', 'Situation phytosanitaire'],
    ['#/privacy', 'Confidentialité'],
    ['#/diagnoses', 'Mes diagnostics'],
  ]);
  // A photo source is one long word (a repository path): open, it still fits.
  await page.goto('/#/library/potato_late_blight');
  await page.getByTestId('photo-credits').getByText('Sources des photos').click();
  await expect(page.getByTestId('photo-credits').getByRole('listitem').first()).toBeVisible();
  expect(await reflow(page), 'photo sources').toEqual({ pageOverflow: 0, cutButtons: [] });
  // The empty "Mes demandes" leads to a diagnosis or a specialist: both buttons whole.
  await page.goto('/#/cases');
  const first = page.getByTestId('first-request');
  await expect(first.getByRole('link', { name: 'Diagnostiquer une photo' })).toBeVisible();
  expect(await reflow(page), 'empty requests').toEqual({ pageOverflow: 0, cutButtons: [] });

  await diagnose(page, SAMPLE.file);
  expect(await reflow(page), 'result').toEqual({ pageOverflow: 0, cutButtons: [] });
});

test('320 px: the lab screens reflow too', async ({ page }) => {
  await startApp(page, 'advisor');
  await waitForLibrary(page);
  await signIn(page, 'admin@demo.local', 'phytodiag-demo');
  await expectReflow(page, [
    ['#/lab', 'File des demandes'],
    ['#/team', 'Équipe'],
    ['#/bank/upload', 'Soumettre des photos'],
    ['#/bank/review', 'Photos à valider'],
    ['#/models', 'Modèles'],
    ['#/surveillance', 'Surveillance'],
    ['#/agreement', 'Accord IA / spécialiste'],
    ['#/indicators', 'Indicateurs de service'],
  ]);
  // The region list is as wide as the form, not as its longest region name.
  await page.goto('/#/bank/upload');
  const region = page.getByLabel('Région');
  const box = await region.boundingBox();
  expect(box!.x + box!.width).toBeLessThanOrEqual(WIDTH);
});
