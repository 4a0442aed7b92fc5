import { expect, test, request as playwrightRequest } from '@playwright/test';
import type { EscalationList } from '@phytodiag/api/contract';
import { join } from 'node:path';
import {
  diagnose,
  expectNoViolations,
  IMAGEBANK,
  register,
  SAMPLE,
  sendCaseForm,
  signIn,
  startApp,
  waitForServiceWorker,
} from './helpers';

test('a case drafted offline survives a reload and reaches the API exactly once', async ({
  page,
  context,
  browser,
  baseURL,
}) => {
  const email = `e2e-${Date.now()}@example.org`;
  const password = 'phytodiag-e2e-pass';
  const description = `Taches orangées sur le maïs — e2e ${Date.now()}`;

  await startApp(page, 'producer');
  await waitForServiceWorker(page);
  await register(page, email, password);

  await context.setOffline(true);
  await page.getByRole('navigation').getByRole('link', { name: 'Accueil' }).click();
  await page.getByRole('link', { name: /Demander à un spécialiste/ }).click();
  await page.getByTestId('photo-input').setInputFiles(SAMPLE.file);
  // EXIF is read before the photo joins the form: wait for it, or submit sees none.
  await expect(page.getByRole('img', { name: 'Photo 1' })).toBeVisible();
  await page.getByLabel('Culture').fill('Maïs');
  await page.getByLabel('Ce que vous observez').fill(description);
  await page.getByTestId('submit-case').click();

  const outbox = page.getByTestId('outbox-list');
  await expect(outbox.getByText(description)).toBeVisible();
  await expect(outbox.locator('[data-state="queued"], [data-state="failed"]')).toHaveCount(1);
  // A request waiting to be sent is a request: no "no request yet" invitation any more.
  await expect(page.getByTestId('first-request')).toHaveCount(0);

  // Closing/reloading while offline loses nothing.
  await page.reload();
  await expect(page.getByTestId('outbox-list').getByText(description)).toBeVisible();

  await context.setOffline(false);
  await expect(page.getByTestId('my-cases').getByText(description)).toBeVisible({
    timeout: 30_000,
  });
  await expect(page.getByTestId('outbox-list').getByText(description)).toHaveCount(0);
  // What a sighted person sees as the card moving is said to a screen reader too.
  await expect(page.getByTestId('sync-announcer')).toHaveText('Demande envoyée au laboratoire.');

  // Nudge the sender again (as a second tab/app start would): still exactly one case.
  await page.reload();
  await page.evaluate(() => new Promise((r) => setTimeout(r, 1500)));

  const api = await playwrightRequest.newContext({ baseURL });
  const login = await api.post('/api/auth/login', {
    data: { email: 'specialiste@demo.local', password: 'phytodiag-demo' },
  });
  expect(login.ok()).toBe(true);
  const list = (await (await api.get('/api/escalations')).json()) as EscalationList;
  const mine = list.items.filter((e) => e.description === description);
  expect(mine).toHaveLength(1);
  expect(mine[0].photos).toHaveLength(1);
  expect(mine[0].crop).toBe('Maïs');
  await api.dispose();

  // The same person on a new device: "Mes demandes" lists the request, and the "no request yet"
  // card never shows, not even while the list is on its way.
  const device = await browser.newContext({ baseURL });
  const second = await device.newPage();
  await second.addInitScript(() => {
    new MutationObserver(() => {
      if (document.querySelector('[data-testid="first-request"]'))
        document.documentElement.dataset.sawFirstRequest = 'yes';
    }).observe(document, { childList: true, subtree: true });
  });
  await startApp(second, 'producer');
  await signIn(second, email, password);
  await expect(second.getByTestId('my-cases').getByText(description)).toBeVisible();
  expect(await second.evaluate(() => document.documentElement.dataset.sawFirstRequest)).toBe(
    undefined,
  );
  await device.close();
});

test('the escalation form autosaves a draft offline and restores it after a reload', async ({
  page,
  context,
}) => {
  const description = `Brouillon hors ligne — e2e ${Date.now()}`;
  await startApp(page, 'producer');
  await waitForServiceWorker(page);
  await context.setOffline(true);
  await page.goto('/#/escalate');
  await page.getByTestId('photo-input').setInputFiles(SAMPLE.file);
  await expect(page.getByRole('img', { name: 'Photo 1' })).toBeVisible();
  await page.getByLabel('Culture').fill('Pomme de terre');
  await page.getByLabel('Ce que vous observez').fill(description);
  await page.getByRole('radio', { name: 'Par téléphone' }).check();
  await page.getByLabel('Numéro de téléphone').fill('450 555-0123');

  // The draft is in the outbox (not sent: a draft is never queued by itself).
  await expect
    .poll(() =>
      page.evaluate(
        (text) =>
          new Promise<string[]>((resolve) => {
            const req = indexedDB.open('phytodiag');
            req.onsuccess = () => {
              const all = req.result.transaction('outbox').objectStore('outbox').getAll();
              all.onsuccess = () => {
                const rows = all.result as {
                  state: string;
                  photos: Blob[];
                  case: { description: string };
                }[];
                resolve(
                  rows
                    .filter((r) => r.case.description === text)
                    .map((r) => `${r.state}:${r.photos.length}`),
                );
                req.result.close();
              };
            };
          }),
        description,
      ),
    )
    .toEqual(['draft:1']);

  await page.reload();
  await expect(page.getByTestId('draft-restored')).toBeVisible();
  await expect(page.getByLabel('Culture')).toHaveValue('Pomme de terre');
  await expect(page.getByLabel('Ce que vous observez')).toHaveValue(description);
  await expect(page.getByRole('radio', { name: 'Par téléphone' })).toBeChecked();
  await expect(page.getByLabel('Numéro de téléphone')).toHaveValue('450 555-0123');
  // The photo Blob came back from IndexedDB and renders.
  const photo = page.getByRole('img', { name: 'Photo 1' });
  await expect(photo).toBeVisible();
  expect(await photo.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBeGreaterThan(0);

  // Listed in "Mes demandes" as a draft that can be resumed; submitting queues the same row.
  await page.goto('/#/cases');
  const row = page
    .getByTestId('outbox-list')
    .getByRole('listitem')
    .filter({ hasText: description });
  await expect(row).toHaveAttribute('data-state', 'draft');
  await row.getByRole('link', { name: 'Continuer le brouillon' }).click();
  await expect(page.getByLabel('Ce que vous observez')).toHaveValue(description);
  await page.getByTestId('submit-case').click();
  await expect(row).toHaveAttribute('data-state', /queued|failed/);
  await expect(
    page.getByTestId('outbox-list').getByRole('listitem').filter({ hasText: description }),
  ).toHaveCount(1);

  // The next request, opened from a library entry about another crop, starts on that entry's
  // crop and on the call-back number just given: nothing to retype in the field.
  await page.goto('/#/library/apple_scab');
  await page.getByRole('link', { name: 'Demander à un spécialiste' }).click();
  await expect(page.getByLabel('Culture')).toHaveValue('Pommier');
  await expect(page.getByRole('radio', { name: 'Par téléphone' })).toBeChecked();
  await expect(page.getByLabel('Numéro de téléphone')).toHaveValue('450 555-0123');
  await context.setOffline(false);
});

test('a case written signed out waits without a call, and is sent once after sign-in', async ({
  page,
}) => {
  const posts: number[] = [];
  // On the context, not the page: after sign-in either the page or the service worker (Background
  // Sync) may make the upload, and the worker's requests are not the page's.
  page.context().on('response', (r) => {
    if (r.request().method() === 'POST' && new URL(r.url()).pathname === '/api/escalations')
      posts.push(r.status());
  });
  const description = `Écrite sans compte — e2e ${Date.now()}`;
  await startApp(page, 'producer');
  await sendCaseForm(page, { file: SAMPLE.file, crop: 'Maïs', description });
  const waiting = page.getByTestId('outbox-list').getByRole('listitem').filter({
    hasText: description,
  });
  await expect(waiting).toHaveAttribute('data-state', 'queued');
  await expect(page.getByTestId('cases-flash')).toHaveText(
    'Demande enregistrée sur l’appareil. Elle partira dès que vous vous connecterez.',
  );
  // The screen says why it waits, and how to send it.
  const signIn = page.getByTestId('cases-sign-in');
  await expect(signIn).toContainText('Sans compte, elles attendent en sécurité sur l’appareil.');
  await expect(signIn.getByRole('link', { name: 'Créer un compte' })).toBeVisible();
  await register(page, `sans-compte-${Date.now()}@example.org`, 'phytodiag-e2e-pass');
  await expect(page.getByTestId('my-cases').getByText(description)).toBeVisible({
    timeout: 30_000,
  });
  // One upload, after sign-in: none was tried (and refused with a 401) before.
  expect(posts).toEqual([201]);
});

test('a request that never left the device can be edited or withdrawn, and is then sent once or never', async ({
  page,
}) => {
  const posts: number[] = [];
  // On the context: after sign-in the page or the service worker may make the upload.
  page.context().on('response', (r) => {
    if (r.request().method() === 'POST' && new URL(r.url()).pathname === '/api/escalations')
      posts.push(r.status());
  });
  const stamp = Date.now();
  const kept = `Gardée — e2e ${stamp}`;
  const withdrawn = `Retirée — e2e ${stamp}`;
  const edited = `Modifiée — e2e ${stamp}`;
  await startApp(page, 'producer');
  const outbox = page.getByTestId('outbox-list').getByRole('listitem');
  await sendCaseForm(page, { file: SAMPLE.file, crop: 'Maïs', description: withdrawn });
  await expect(outbox.filter({ hasText: withdrawn })).toHaveCount(1);
  await sendCaseForm(page, { file: SAMPLE.file, crop: 'Maïs', description: kept });
  const gone = outbox.filter({ hasText: withdrawn });
  page.once('dialog', (d) => void d.accept());
  await gone.getByRole('button', { name: 'Retirer la demande' }).click();
  await expect(gone).toHaveCount(0);
  await expect(outbox.filter({ hasText: kept })).toHaveCount(1);

  // « Modifier »: back to the form with its photo; submitted again, it is still one request.
  await outbox.filter({ hasText: kept }).getByRole('button', { name: 'Modifier' }).click();
  await expect(page.getByLabel('Ce que vous observez')).toHaveValue(kept);
  await expect(page.getByRole('img', { name: 'Photo 1' })).toBeVisible();
  await page.getByLabel('Ce que vous observez').fill(edited);
  await page.getByTestId('submit-case').click();
  await expect(outbox.filter({ hasText: edited })).toHaveCount(1);
  await expect(outbox.filter({ hasText: kept })).toHaveCount(0);

  await register(page, `retrait-${stamp}@example.org`, 'phytodiag-e2e-pass');
  await expect(page.getByTestId('my-cases').getByText(edited)).toBeVisible({ timeout: 30_000 });
  // One upload, the edited request's; the lab holds it and nothing else from this account.
  expect(posts).toEqual([201]);
  const mine = (await (await page.request.get('/api/escalations')).json()) as {
    items: { description: string }[];
  };
  expect(mine.items.map((e) => e.description)).toEqual([edited]);
  await expect(page.getByText(withdrawn)).toHaveCount(0);
});

test('a request refused as a duplicate links to the open request that holds its photos, and can go there as a message', async ({
  page,
}) => {
  const stamp = Date.now();
  const first = `Premier envoi — e2e ${stamp}`;
  const again = `Même photo — e2e ${stamp}`;
  await startApp(page, 'producer');
  await register(page, `doublon-${stamp}@example.org`, 'phytodiag-e2e-pass');
  await sendCaseForm(page, { file: SAMPLE.file, crop: 'Maïs', description: first });
  await expect(page.getByTestId('my-cases').getByText(first)).toBeVisible({ timeout: 30_000 });

  await sendCaseForm(page, { file: SAMPLE.file, crop: 'Maïs', description: again });
  const refused = page.getByTestId('outbox-list').getByRole('listitem').filter({ hasText: again });
  await expect(refused).toHaveAttribute('data-state', 'failed', { timeout: 30_000 });
  const alert = refused.getByRole('alert');
  await expect(alert).toContainText(
    /^Ces photos sont déjà dans une demande encore ouverte\s: Maïs, du \d{1,2} \p{L}+ \d{4}\./u,
  );
  await expect(
    alert.getByRole('link', { name: 'Ouvrir cette demande pour y ajouter un message' }),
  ).toBeVisible();
  // Its words go to that request as a message (the lab has its photos); it leaves the outbox.
  await refused
    .getByRole('button', { name: 'Envoyer ma description en message dans cette demande' })
    .click();
  await expect(page.getByText(first)).toBeVisible();
  await expect(
    page.getByTestId('thread').getByRole('listitem').filter({ hasText: again }),
  ).toHaveCount(1);
  await expect(page.getByTestId('queued-message')).toHaveCount(0);
  await page.goto('/#/cases');
  await expect(page.getByTestId('outbox-list').getByText(again)).toHaveCount(0);
});

test('back on the form after sending from a diagnosis: it says the request already went, and links to it', async ({
  page,
}) => {
  const stamp = Date.now();
  const description = `Envoyée depuis un diagnostic — e2e ${stamp}`;
  await startApp(page, 'producer');
  await register(page, `retour-${stamp}@example.org`, 'phytodiag-e2e-pass');
  await diagnose(page, SAMPLE.file);
  await page.getByTestId('ask-specialist').click();
  // First time from this diagnosis: nothing to warn about.
  await expect(page.getByLabel('Ce que vous observez')).toBeVisible();
  await expect(page.getByTestId('already-sent')).toHaveCount(0);
  await page.getByLabel('Ce que vous observez').fill(description);
  await page.getByTestId('submit-case').click();
  await expect(page.getByTestId('my-cases').getByText(description)).toBeVisible({
    timeout: 30_000,
  });
  // The Back button reopens the form on the same diagnosis.
  await page.goBack();
  const notice = page.getByTestId('already-sent');
  await expect(notice).toContainText('Vous avez déjà envoyé une demande pour ce diagnostic');
  await expectNoViolations(page, 'form after sending');
  await notice.getByRole('link', { name: 'Voir cette demande' }).click();
  await expect(page.getByText(description)).toBeVisible();
});

test('a shared device: a session that ended leaves nothing of that person to the next one, and their unsent request waits for them', async ({
  page,
}) => {
  const stamp = Date.now();
  const [a, b] = [`partage-a-${stamp}@example.org`, `partage-b-${stamp}@example.org`];
  const password = 'phytodiag-e2e-pass';
  const sent = `Envoyée par A — e2e ${stamp}`;
  const unsent = `Restée sur la tablette — e2e ${stamp}`;
  const outbox = page.getByTestId('outbox-list');
  const myCases = page.getByTestId('my-cases');
  const second = join(IMAGEBANK, 'corn_common_rust', '002.jpg');

  await startApp(page, 'producer');
  await register(page, a, password);
  await sendCaseForm(page, { file: SAMPLE.file, crop: 'Maïs', description: sent });
  await expect(myCases.getByText(sent)).toBeVisible({ timeout: 30_000 });
  // A's session ends on the server (expired, or signed out elsewhere), not with « Se déconnecter »;
  // A writes one more request, which the server cannot take any more.
  const posts: number[] = [];
  page.context().on('response', (r) => {
    if (r.request().method() === 'POST' && new URL(r.url()).pathname === '/api/escalations')
      posts.push(r.status());
  });
  expect((await page.request.post('/api/auth/logout')).status()).toBe(204);
  await sendCaseForm(page, { file: second, crop: 'Maïs', description: unsent });

  // A refusal (401: the upload's, or a list refresh's if it comes first) tells the app the
  // session has ended: A's cases leave the device, the request waits for A, and the photos are
  // not uploaded again and again to be refused.
  const othersWaiting = page.getByTestId('others-waiting');
  const waitingText =
    '1 demande d’un autre compte attend sur cet appareil : elle partira quand cette personne se reconnectera ici.';
  await expect(othersWaiting).toHaveText(waitingText, { timeout: 30_000 });
  await expect(page.getByTestId('cases-sign-in')).toBeVisible();
  await expect(myCases.getByText(sent)).toHaveCount(0);
  await expect(outbox.getByText(unsent)).toHaveCount(0);
  // Refused by the page's sender and the service worker's at most (none, when a list refresh's
  // 401 came first); then no sender tries again, whatever wakes them (the network coming back,
  // the 30 s tick).
  await page.evaluate(() => new Promise((r) => setTimeout(r, 1000)));
  const refused = posts.length;
  expect(posts.filter((status) => status !== 401)).toEqual([]);
  expect(refused).toBeLessThanOrEqual(2);
  await page.evaluate(() => window.dispatchEvent(new Event('online')));
  await page.evaluate(() => new Promise((r) => setTimeout(r, 1500)));
  expect(posts).toHaveLength(refused);

  // The same after the app starts again.
  await page.reload();
  await expect(page.getByRole('heading', { level: 1, name: 'Mes demandes' })).toBeVisible();
  await expect(myCases.getByText(sent)).toHaveCount(0);
  await expect(othersWaiting).toHaveText(waitingText);

  // B signs in on the same tablet: none of A's requests, and A's unsent one is not sent as B's.
  await register(page, b, password);
  await page.evaluate(() => new Promise((r) => setTimeout(r, 1500)));
  await expect(page.getByText(sent)).toHaveCount(0);
  await expect(page.getByText(unsent)).toHaveCount(0);
  const ofB = (await (
    await page.request.get('/api/escalations?mine=true')
  ).json()) as EscalationList;
  expect(ofB.items).toEqual([]);

  // B signs out; A signs in again here: A's request leaves, under A's account, once.
  await page.goto('/#/login');
  await page.getByRole('button', { name: 'Se déconnecter' }).click();
  await signIn(page, a, password);
  await expect(myCases.getByText(unsent)).toBeVisible({ timeout: 30_000 });
  await expect(myCases.getByText(sent)).toBeVisible();
  const ofA = (await (
    await page.request.get('/api/escalations?mine=true')
  ).json()) as EscalationList;
  expect(ofA.items.map((e) => e.description).sort()).toEqual([sent, unsent].sort());
});

test('a request the device cannot store (storage full) says so and keeps the form for another try', async ({
  page,
}) => {
  const description = `Stockage plein — e2e ${Date.now()}`;
  await startApp(page, 'producer');
  await page.goto('/#/escalate');
  await page.getByTestId('photo-input').setInputFiles(SAMPLE.file);
  await expect(page.getByRole('img', { name: 'Photo 1' })).toBeVisible();
  await page.getByLabel('Culture').fill('Maïs');
  await page.getByLabel('Ce que vous observez').fill(description);
  // IndexedDB refuses every write to the outbox, as on a full phone.
  await page.evaluate(() => {
    const put = IDBObjectStore.prototype.put;
    const w = window as unknown as { restoreOutboxPut: () => void };
    IDBObjectStore.prototype.put = function (this: IDBObjectStore, ...args) {
      if (this.name === 'outbox') throw new DOMException('full', 'QuotaExceededError');
      return put.apply(this, args);
    };
    w.restoreOutboxPut = () => {
      IDBObjectStore.prototype.put = put;
    };
  });
  await page.getByTestId('submit-case').click();
  await expect(page.getByRole('alert')).toHaveText(/^L’appareil n’a plus d’espace/);
  await expect(page.getByLabel('Ce que vous observez')).toHaveValue(description);

  // Space freed: the same form goes out.
  await page.evaluate(() =>
    (window as unknown as { restoreOutboxPut: () => void }).restoreOutboxPut(),
  );
  await page.getByTestId('submit-case').click();
  await expect(page.getByRole('heading', { level: 1, name: 'Mes demandes' })).toBeVisible();
  await expect(page.getByTestId('outbox-list').getByText(description)).toBeVisible();
});

test('a send that fails for now says it will be retried, in French, without alarm', async ({
  page,
  context,
}) => {
  const description = `Serveur indisponible — e2e ${Date.now()}`;
  await startApp(page, 'producer');
  await register(page, `reessai-${Date.now()}@example.org`, 'phytodiag-e2e-pass');
  // A proxy's maintenance page: 503, not the API's JSON.
  await context.route('**/api/escalations', (route) =>
    route.request().method() === 'POST'
      ? route.fulfill({ status: 503, contentType: 'text/html', body: '<h1>Maintenance</h1>' })
      : route.fallback(),
  );
  await sendCaseForm(page, { file: SAMPLE.file, crop: 'Maïs', description });
  const card = page
    .getByTestId('outbox-list')
    .getByRole('listitem')
    .filter({ hasText: description });
  await expect(card).toHaveAttribute('data-state', 'failed', { timeout: 30_000 });
  await expect(card).toContainText('Nouvel essai prévu');
  await expect(card).toContainText('Nouvel essai automatique, rien à refaire.');
  await expect(card.getByRole('alert')).toHaveCount(0);
  await expect(card).not.toContainText('Service Unavailable');

  await context.unroute('**/api/escalations');
  await card.getByRole('button', { name: 'Réessayer' }).click();
  await expect(page.getByTestId('my-cases').getByText(description)).toBeVisible({
    timeout: 30_000,
  });
});

test('a page closed mid-upload does not leave its request « Envoi… »: it is retried, and reaches the API once', async ({
  page,
  context,
}) => {
  const description = `Rechargée en plein envoi — e2e ${Date.now()}`;
  await startApp(page, 'producer');
  await waitForServiceWorker(page);
  await register(page, `coupure-${Date.now()}@example.org`, 'phytodiag-e2e-pass');
  // One bar in a field: the page's upload leaves, and nothing comes back. The service worker's
  // Background Sync, which waits for the page's run and takes over when the page dies, finds no
  // network at all.
  await context.route('**/api/escalations', (route) => {
    if (route.request().method() !== 'POST') return route.fallback();
    return route.request().serviceWorker() ? route.abort('internetdisconnected') : undefined;
  });
  await sendCaseForm(page, { file: SAMPLE.file, crop: 'Maïs', description });
  const card = page
    .getByTestId('outbox-list')
    .getByRole('listitem')
    .filter({ hasText: description });
  await expect(card).toHaveAttribute('data-state', 'sending');

  // The signal goes, and the app is closed and opened again mid-upload.
  await context.setOffline(true);
  await page.reload();
  await expect(card).toHaveAttribute('data-state', 'failed');
  await expect(card).toContainText('Nouvel essai prévu');
  await expect(card).toContainText('Nouvel essai automatique, rien à refaire.');
  // One try: the page's. Two when the service worker took the request up as the page died, and
  // found no network.
  await expect(card).toContainText(/Tentatives\s:\s[12](?!\d)/);
  // It may have reached the lab before the page died: no longer edited or withdrawn here.
  await expect(card.getByRole('button', { name: /^(Modifier|Retirer la demande)$/ })).toHaveCount(
    0,
  );

  await context.unrouteAll({ behavior: 'ignoreErrors' });
  await context.setOffline(false);
  await expect(page.getByTestId('my-cases').getByText(description)).toBeVisible({
    timeout: 30_000,
  });
  const list = (await (await page.request.get('/api/escalations')).json()) as EscalationList;
  expect(list.items.filter((e) => e.description === description)).toHaveLength(1);
});

test('« Se déconnecter » offline ends the server session when the network returns', async ({
  page,
  context,
}) => {
  await startApp(page, 'producer');
  await waitForServiceWorker(page);
  await register(page, `hors-ligne-${Date.now()}@example.org`, 'phytodiag-e2e-pass');
  await context.setOffline(true);
  await page.goto('/#/login');
  await page.getByRole('button', { name: 'Se déconnecter' }).click();
  await expect(page.getByRole('button', { name: 'Se connecter' })).toBeVisible();
  await context.setOffline(false);
  // The browser's cookie no longer opens a session.
  await expect
    .poll(async () => (await page.request.get('/api/auth/me')).status(), { timeout: 15_000 })
    .toBe(401);
});

test.describe('a position given in the form', () => {
  test.use({
    geolocation: { latitude: 46.81234, longitude: -71.20987 },
    permissions: ['geolocation'],
  });

  test('is forgotten from the draft when « Joindre la position » is unticked', async ({ page }) => {
    const description = `Position retirée — e2e ${Date.now()}`;
    await startApp(page, 'producer');
    await page.goto('/#/escalate');
    await page.getByLabel('Ce que vous observez').fill(description);
    const share = page.getByLabel('Joindre la position de la parcelle');
    await share.check();
    await page.getByRole('button', { name: 'Utiliser ma position actuelle' }).click();
    // First use: the « Localisation » consent is asked right here.
    await page.getByRole('button', { name: 'Autoriser et utiliser ma position' }).click();
    await expect(page.getByText('Position jointe : 46.81234, -71.20987')).toBeVisible();
    const draftLocation = () =>
      page.evaluate(
        (text) =>
          new Promise<unknown>((resolve) => {
            const req = indexedDB.open('phytodiag');
            req.onsuccess = () => {
              const all = req.result.transaction('outbox').objectStore('outbox').getAll();
              all.onsuccess = () => {
                const row = (
                  all.result as { case: { description: string }; form?: { location: unknown } }[]
                ).find((r) => r.case.description === text);
                resolve(row ? (row.form?.location ?? null) : 'no draft');
                req.result.close();
              };
            };
          }),
        description,
      );
    await expect.poll(draftLocation).toMatchObject({ lat: 46.81234, lon: -71.20987 });
    await share.uncheck();
    await expect.poll(draftLocation).toBeNull();
    // Ticked again after a reload: no position comes back from the draft.
    await page.reload();
    await expect(page.getByLabel('Ce que vous observez')).toHaveValue(description);
    await share.check();
    await expect(page.getByText(/^Position jointe/)).toHaveCount(0);
  });
});
