import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import {
  expect,
  test,
  type APIRequestContext,
  type BrowserContext,
  type Page,
} from '@playwright/test';
import type { BankSubmissionList, TeamMemberList } from '@phytodiag/api/contract';
import {
  deviceRows,
  expectNoViolations,
  frenchName,
  IMAGEBANK,
  signIn,
  startApp,
  syncTags,
  waitForLibrary,
  waitForServiceWorker,
} from './helpers';

// Photos no other spec sends to the bank (a class's last ones: not seeded either).
const SLUG = 'grape_esca';
const [FIFTH, FOURTH, THIRD, ...PHOTOS] = readdirSync(join(IMAGEBANK, SLUG))
  .filter((f) => f.endsWith('.jpg'))
  .sort()
  .slice(-5)
  .map((f) => join(IMAGEBANK, SLUG, f));

/** The app opened once online (so it works offline), signed in as the demo agronomist. */
async function openAsAgronomist(page: Page): Promise<void> {
  await startApp(page, 'advisor');
  await waitForServiceWorker(page);
  await waitForLibrary(page);
  await signIn(page, 'agronome@demo.local', 'phytodiag-demo');
}

/** Offline on the upload screen, one photo of the class queued on the device. */
async function queueOnePhotoOffline(page: Page, context: BrowserContext, photo: string) {
  await page.goto('/#/bank/upload');
  await context.setOffline(true);
  await page.getByTestId('bank-input').setInputFiles(photo);
  await page.getByLabel('Étiquette').selectOption(SLUG);
  await page.getByTestId('bank-submit').click();
  await expect(page.getByTestId('bank-kept')).toContainText('1 photo gardée sur cet appareil');
}

/** The agronomist's submissions of this class, as the server holds them. */
async function submitted(request: APIRequestContext) {
  const res = await request.get('/api/bank/submissions');
  return ((await res.json()) as BankSubmissionList).items.filter((s) => s.classSlug === SLUG);
}

test('an agronomist with no signal queues photos for the bank; they go once when the network returns, even after a lost answer', async ({
  page,
  context,
}) => {
  await openAsAgronomist(page);
  const mine = () => submitted(page.request);
  expect(await mine()).toEqual([]);

  // In the field: no signal. The form still takes the photos.
  await page.goto('/#/bank/upload');
  await expect(page.getByRole('heading', { level: 1, name: 'Soumettre des photos' })).toBeVisible();
  await context.setOffline(true);
  await expect(
    page.getByText('Hors ligne : les photos seront gardées sur cet appareil'),
  ).toBeVisible();
  await page.getByTestId('bank-input').setInputFiles(PHOTOS);
  await page.getByLabel('Étiquette').selectOption(SLUG);
  await expect(page.getByLabel('Culture')).toHaveValue('Vigne');
  await page.getByTestId('bank-submit').click();
  await expect(page.getByTestId('bank-kept')).toContainText(
    '2 photos gardées sur cet appareil, faute de réseau.',
  );
  // The picked photos say where they are, and no longer offer a « Retirer » that would not
  // take them out of the queue.
  await expect(page.getByText('En attente d’envoi', { exact: true })).toHaveCount(2);
  await expect(page.getByRole('button', { name: /^Retirer la photo/ })).toHaveCount(0);
  await expectNoViolations(page, 'bank upload, kept offline');

  // The app closed and opened again, still offline: the photos are there, waiting.
  await page.reload();
  // The upload screen says something waits here, and leads to it.
  await page
    .getByRole('link', { name: '1 envoi attend sur cet appareil : voir « Mes contributions »' })
    .click();
  await expect(page.getByRole('heading', { level: 1, name: 'Mes contributions' })).toBeVisible();
  const waiting = page.getByTestId('bank-waiting-item');
  await expect(waiting).toHaveCount(1);
  await expect(waiting).toContainText(frenchName(SLUG));
  await expect(waiting).toContainText('2 photos');
  await expect(waiting).toContainText('Partira au retour du réseau');
  await expectNoViolations(page, 'contributions, waiting offline');

  // Back in signal, the upload reaches the server but its answer is lost on the way back.
  const statuses: (number | 'lost')[] = [];
  await context.route('**/api/bank/submissions', async (route) => {
    if (route.request().method() !== 'POST') return route.continue();
    const res = await route.fetch();
    if (statuses.length === 0) {
      statuses.push('lost');
      expect(res.status()).toBe(201);
      return route.abort('connectionreset');
    }
    statuses.push(res.status());
    return route.fulfill({ response: res });
  });
  await context.setOffline(false);
  await expect(waiting).toContainText('Envoi manqué : nouvel essai automatique');
  expect(await mine()).toHaveLength(1);
  // Resent (here at once, by hand): the server answers with the submission it already made.
  await waiting.getByRole('button', { name: 'Réessayer l’envoi' }).click();
  await expect(page.getByTestId('bank-waiting')).toHaveCount(0);
  expect(statuses).toEqual(['lost', 200]);
  const sent = await mine();
  expect(sent).toHaveLength(1);
  expect(sent[0]?.images).toHaveLength(2);
  const card = page
    .getByTestId('contributions')
    .getByRole('listitem')
    .filter({
      hasText: frenchName(SLUG),
    });
  await expect(card.getByText('À examiner')).toHaveCount(2);

  // Online, but the upload from the form itself fails (the signal drops mid-way): the photo
  // stays on the device instead of the form just showing an error.
  await context.unroute('**/api/bank/submissions');
  let cut = true;
  await context.route('**/api/bank/submissions', (route) =>
    route.request().method() === 'POST' && cut ? route.abort('connectionreset') : route.continue(),
  );
  await page.goto('/#/bank/upload');
  await page.getByTestId('bank-input').setInputFiles(THIRD ?? '');
  await page.getByLabel('Étiquette').selectOption(SLUG);
  await page.getByTestId('bank-submit').click();
  await expect(page.getByTestId('bank-kept')).toContainText(
    'L’envoi n’a pas abouti : la photo est gardée sur cet appareil',
  );
  cut = false;
  await page.getByRole('link', { name: 'Suivre l’envoi dans « Mes contributions »' }).click();
  await expect(waiting).toContainText('Envoi manqué : nouvel essai automatique');
  // Nobody touches it: the signal comes back, and the app tries again by itself.
  await context.setOffline(true);
  await context.setOffline(false);
  await expect(page.getByTestId('bank-waiting')).toHaveCount(0);
  // Sent in the background: screen readers hear it (sighted users saw the card go).
  await expect(page.getByTestId('sync-announcer')).toHaveText(
    'Photos en attente envoyées à la banque d’images.',
  );
  expect((await mine()).map((s) => s.images.length).sort()).toEqual([1, 2]);
});

test('photos whose upload the page did not live to finish are shown as to be retried, then go once', async ({
  page,
  context,
}) => {
  await openAsAgronomist(page);
  const before = (await submitted(page.request)).length;
  // One bar in a field: the form's upload leaves, and nothing comes back.
  await context.route('**/api/bank/submissions', (route) =>
    route.request().method() === 'POST' ? undefined : route.continue(),
  );
  await page.goto('/#/bank/upload');
  await page.getByTestId('bank-input').setInputFiles(FIFTH ?? '');
  await page.getByLabel('Étiquette').selectOption(SLUG);
  await page.getByTestId('bank-submit').click();
  await expect
    .poll(async () =>
      (await deviceRows<{ state: string }>(page, 'bankUploads')).map((r) => r.state),
    )
    .toEqual(['sending']);

  // The signal goes, and the app is closed and opened again mid-upload.
  await context.setOffline(true);
  await page.goto('/#/bank/mine');
  await page.reload();
  const waiting = page.getByTestId('bank-waiting-item');
  await expect(waiting).toContainText('Partira au retour du réseau');
  await expect
    .poll(async () =>
      (await deviceRows<{ state: string }>(page, 'bankUploads')).map((r) => r.state),
    )
    .toEqual(['failed']);

  await context.unrouteAll({ behavior: 'ignoreErrors' });
  await context.setOffline(false);
  await expect(page.getByTestId('bank-waiting')).toHaveCount(0);
  expect(await submitted(page.request)).toHaveLength(before + 1);
});

test('photos kept offline go to the bank by Background Sync, the app closed by then', async ({
  page,
  context,
}) => {
  await openAsAgronomist(page);
  const sent = async () =>
    (await submitted(context.request)).filter((s) => s.images.length === 1).length;
  const before = await sent();
  await queueOnePhotoOffline(page, context, FOURTH ?? '');
  // The app asked the browser to wake its service worker when the network returns.
  await expect.poll(() => syncTags(page)).toContain('phytodiag-bank-uploads');
  // The agronomist closes the app, still in the field; the signal comes back later.
  const posts: boolean[] = [];
  context.on('request', (r) => {
    if (r.method() === 'POST' && r.url().endsWith('/api/bank/submissions')) {
      posts.push(r.serviceWorker() !== null);
    }
  });
  await page.close();
  await context.setOffline(false);
  await expect.poll(sent, { timeout: 60_000 }).toBe(before + 1);
  // Sent by the service worker, no page open.
  expect(posts).toEqual([true]);
});

test('photos queued by an agronomist who loses the role meanwhile are shown, to be removed', async ({
  page,
  context,
  playwright,
}) => {
  await openAsAgronomist(page);
  await queueOnePhotoOffline(page, context, FOURTH ?? '');

  // Meanwhile an admin takes the role back (then gives it again: other specs need it).
  const admin = await playwright.request.newContext({ baseURL: test.info().project.use.baseURL });
  const setRole = async (role: string) => {
    const found = await admin.get('/api/users?q=agronome@demo.local');
    const [member] = ((await found.json()) as TeamMemberList).items;
    const res = await admin.patch(`/api/users/${member?.id ?? ''}/role`, { data: { role } });
    expect(res.status()).toBe(200);
  };
  try {
    const login = await admin.post('/api/auth/login', {
      data: { email: 'admin@demo.local', password: 'phytodiag-demo' },
    });
    expect(login.status()).toBe(200);
    await setRole('producer');

    // Back in signal, the queue tries at once and the server refuses the photo. The device has
    // written that down before the reload: a reload mid-upload (or between the answer and its
    // write) would leave the row « Envoi en cours » until its lease runs out (2 min), which is
    // not what this test is about. The page or the service worker (Background Sync) sends it,
    // whichever takes the queue first: the other finds nothing left to send.
    const refusal = context.waitForEvent('response', {
      predicate: (r) =>
        r.url().endsWith('/api/bank/submissions') && r.request().method() === 'POST',
    });
    await context.setOffline(false);
    expect((await refusal).status()).toBe(403);
    await expect
      .poll(async () =>
        (await deviceRows<{ state: string }>(page, 'bankUploads')).map((r) => r.state),
      )
      .toEqual(['failed']);
    // Then the app learns its new role.
    await page.goto('/#/');
    await page.reload();
    const notice = page.getByTestId('role-lost-uploads');
    await expect(notice).toContainText(
      '1 envoi pour la banque d’images attend sur cet appareil, mais votre compte n’a plus le rôle',
    );
    await notice.getByRole('link').click();
    await expect(page.getByText('Votre compte n’a plus le rôle d’agronome')).toBeVisible();
    const waiting = page.getByTestId('bank-waiting-item');
    await expect(waiting).toContainText('Refusé par le serveur');
    await expectNoViolations(page, 'contributions, role lost');
    await waiting.getByRole('button', { name: /^Retirer/ }).click();
    await waiting.getByRole('button', { name: /^Oui/ }).click();
    await expect(page.getByTestId('bank-waiting')).toHaveCount(0);
    await page.goto('/#/');
    await expect(page.getByRole('heading', { level: 1, name: 'Accueil' })).toBeVisible();
    await expect(page.getByTestId('role-lost-uploads')).toHaveCount(0);
  } finally {
    await setRole('agronomist');
    await admin.dispose();
  }
});

test('a session ended before « Envoyer »: the photo waits on the device and goes after signing in again', async ({
  page,
  context,
}) => {
  // A class no other spec sends to the bank, its last photo (not seeded).
  const slug = 'grape_black_rot';
  const [photo] = readdirSync(join(IMAGEBANK, slug))
    .filter((f) => f.endsWith('.jpg'))
    .sort()
    .slice(-1)
    .map((f) => join(IMAGEBANK, slug, f));
  await openAsAgronomist(page);
  await page.goto('/#/bank/upload');
  await page.getByTestId('bank-input').setInputFiles(photo ?? '');
  await page.getByLabel('Étiquette').selectOption(slug);
  // The session ends meanwhile (it expired, or was closed from another device): a 401.
  await context.clearCookies();
  await page.getByTestId('bank-submit').click();
  await expect(page.getByTestId('bank-kept')).toContainText(
    'Votre session a pris fin : la photo est gardée sur cet appareil',
  );
  expect((await deviceRows<{ state: string }>(page, 'bankUploads')).map((r) => r.state)).toEqual([
    'queued',
  ]);
  // Signed in again, the queue sends it, once.
  await signIn(page, 'agronome@demo.local', 'phytodiag-demo');
  await expect.poll(() => deviceRows(page, 'bankUploads'), { timeout: 20_000 }).toEqual([]);
  const res = await page.request.get('/api/bank/submissions');
  const mine = ((await res.json()) as BankSubmissionList).items.filter((x) => x.classSlug === slug);
  expect(mine.map((x) => x.images.length)).toEqual([1]);
});
