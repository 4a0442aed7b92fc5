import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import {
  expect,
  request as pwRequest,
  test,
  type APIRequestContext,
  type Page,
} from '@playwright/test';
import {
  diagnose,
  expectNoViolations,
  frenchName,
  register,
  SAMPLE,
  startApp,
  waitForLibrary,
  waitForModel,
  waitForServiceWorker,
} from './helpers';

// Saint-Hyacinthe (Montérégie, region 16). The profile's region is set to Estrie (05): a report
// placed in 16 proves the device derived the region from the GPS fix, and sent only the code.
const GPS = { latitude: 45.6307, longitude: -72.953 };
// A phone in Saint-Hyacinthe keeps Quebec's clock (the suite's timezoneId): its report's week (the
// device's Monday) is the lab's. In UTC, from Monday 00:00 UTC to Sunday midnight in Quebec, it
// would report next week's, which the lab's maps show only once that week has begun there.
test.use({ geolocation: GPS, permissions: ['geolocation'] });

const PASSWORD = 'champ-de-mais-2026';
const SHARE = 'Partager mes diagnostics (anonymes) pour la surveillance';

/** Rows of the on-device queue (IndexedDB), read in the page. */
function queued(page: Page): Promise<Record<string, unknown>[]> {
  return page.evaluate(
    () =>
      new Promise<Record<string, unknown>[]>((resolve, reject) => {
        const req = indexedDB.open('phytodiag');
        req.onerror = () => reject(req.error);
        req.onsuccess = () => {
          const all = req.result.transaction('detections').objectStore('detections').getAll();
          all.onsuccess = () => {
            resolve(all.result as Record<string, unknown>[]);
            req.result.close();
          };
        };
      }),
  );
}

async function apiAs(baseURL: string, email: string, password: string): Promise<APIRequestContext> {
  const ctx = await pwRequest.newContext({ baseURL });
  const res = await ctx.post('/api/auth/login', { data: { email, password } });
  expect(res.status(), `login ${email}`).toBe(200);
  return ctx;
}

/** Device reports of the sample class, summed over the specialist's table (all regions). */
async function deviceCounts(lab: APIRequestContext): Promise<Map<string, number>> {
  const res = await lab.get(`/api/surveillance/table?source=device&slug=${SAMPLE.slug}`);
  expect(res.status()).toBe(200);
  const body = (await res.json()) as {
    rows: { regionCode: string | null; mrcCode: string | null; device: number }[];
  };
  const out = new Map<string, number>();
  for (const r of body.rows) {
    const key = `${r.regionCode}/${r.mrcCode}`;
    out.set(key, (out.get(key) ?? 0) + r.device);
  }
  return out;
}
const total = (m: Map<string, number>) => [...m.values()].reduce((a, b) => a + b, 0);

test('opt-in detection reporting, alerts, export and account deletion', async ({
  page,
  context,
  baseURL,
}) => {
  test.setTimeout(300_000);
  const email = `detections-e2e-${Date.now()}@example.org`;
  const lab = await apiAs(baseURL!, 'specialiste@demo.local', 'phytodiag-demo');

  // Every request the page or its service worker makes to the detections endpoint.
  const posted: string[] = [];
  const consentPuts: string[] = [];
  context.on('request', (req) => {
    const path = new URL(req.url()).pathname;
    if (path === '/api/detections' && req.method() === 'POST') posted.push(req.postData() ?? '');
    if (path === '/api/privacy/consents' && req.method() === 'PUT')
      consentPuts.push(req.postData() ?? '');
  });

  await startApp(page, 'producer');
  await waitForServiceWorker(page);
  await register(page, email, PASSWORD);
  const before = total(await deviceCounts(lab));

  // Consents, in the settings: GPS use and sharing; the profile says Estrie.
  await page.goto('/#/settings');
  await page.locator('#set-region').selectOption('05');
  await expect(page.getByLabel(SHARE)).toBeEnabled();
  await page.getByLabel('Localisation', { exact: true }).check();
  await page.getByLabel(SHARE).check();
  await expect
    .poll(
      async () =>
        (
          (await (await page.request.get('/api/privacy/consents')).json()) as {
            shareDetections: boolean;
          }
        ).shareDetections,
    )
    .toBe(true);
  await waitForModel(page);
  await waitForLibrary(page);
  // The boundaries are on the device (service-worker cache) before going offline.
  await expect
    .poll(() =>
      page.evaluate(async () => (await (await caches.open('phytodiag-geo-v1')).keys()).length),
    )
    .toBe(2);

  // Diagnosis OFFLINE: the report waits on the device, with codes only.
  await context.setOffline(true);
  await diagnose(page, SAMPLE.file);
  await expect.poll(async () => (await queued(page)).length).toBe(1);
  const [row] = await queued(page);
  const report = row!.report as Record<string, unknown>;
  expect(report).toMatchObject({ slug: SAMPLE.slug, abstained: false, regionCode: '16' });
  expect(report.mrcCode).toMatch(/^\d{2,3}$/);
  expect(Object.keys(row!).sort()).not.toContain('location');
  expect(posted).toHaveLength(0);

  // Back online: sent once, then gone from the device.
  await context.setOffline(false);
  await expect.poll(async () => (await queued(page)).length, { timeout: 30_000 }).toBe(0);
  expect(posted).toHaveLength(1);
  const batch = JSON.parse(posted[0]!) as { items: Record<string, unknown>[] };
  expect(batch.items).toHaveLength(1);
  expect(batch.items[0]!.clientId).toBe(report.clientId);
  expect(Object.keys(batch.items[0]!).sort()).toEqual(
    [
      'abstained',
      'clientId',
      'confidence',
      'crop',
      'modelVersion',
      'mrcCode',
      'regionCode',
      'slug',
      'week',
    ].sort(),
  );
  // No coordinates in any form: neither keys nor the GPS numbers.
  expect(posted[0]).not.toMatch(/"(lat|lon|latitude|longitude|location|coords?)"/i);
  expect(posted[0]).not.toContain('45.63');
  expect(posted[0]).not.toContain('72.95');

  const afterFirst = await deviceCounts(lab);
  expect(total(afterFirst) - before).toBe(1);
  expect([...afterFirst.keys()].some((k) => k.startsWith('16/'))).toBe(true);

  // Withdrawal: a report queued offline is deleted with the consent and never sent.
  await context.setOffline(true);
  await diagnose(page, SAMPLE.file);
  await expect.poll(async () => (await queued(page)).length).toBe(1);
  await page.goto('/#/settings');
  await page.getByLabel(SHARE).uncheck();
  await expect.poll(async () => (await queued(page)).length).toBe(0);
  await context.setOffline(false);
  await expect
    .poll(
      async () =>
        (
          (await (await page.request.get('/api/privacy/consents')).json()) as {
            shareDetections: boolean;
          }
        ).shareDetections,
      { timeout: 30_000 },
    )
    .toBe(false);
  // And later diagnoses, online, are not reported.
  await diagnose(page, SAMPLE.file);
  await page.waitForTimeout(1500);
  expect(await queued(page)).toHaveLength(0);
  expect(posted).toHaveLength(1);
  expect(total(await deviceCounts(lab)) - before).toBe(1);
  expect(consentPuts.length).toBeGreaterThanOrEqual(2);

  // Alerts: subscribe to Abitibi-Témiscamingue (a region no other spec confirms anything in:
  // the public cell these three farms make must not show in the surveillance spec's views),
  // then cases there are confirmed by the lab.
  await page.goto('/#/settings');
  const subs = page.getByTestId('alert-subscriptions');
  await subs.getByLabel('Région').selectOption('08');
  await subs.getByRole('button', { name: 'M’abonner' }).click();
  await expect(
    subs.getByText('Abitibi-Témiscamingue · toutes les cultures', { exact: true }),
  ).toBeVisible();
  // Said once done (the button was disabled meanwhile): the notice holds the focus.
  await expect(
    subs
      .getByRole('status')
      .filter({ hasText: 'Abonnement ajouté : Abitibi-Témiscamingue · toutes les cultures.' }),
  ).toBeFocused();

  // Three farms of the region confirm it: an alert waits for a cell the public view shows
  // (one farm's case would tell every subscriber that this farm has it).
  const otherEmails: string[] = [];
  for (let farm = 0; farm < 3; farm += 1) {
    const otherEmail = `alert-source-${farm}-${Date.now()}@example.org`;
    otherEmails.push(otherEmail);
    const other = await pwRequest.newContext({ baseURL: baseURL! });
    expect(
      (
        await other.post('/api/auth/register', {
          data: { email: otherEmail, password: PASSWORD, profileKind: 'producer', language: 'fr' },
        })
      ).status(),
    ).toBeLessThan(300);
    expect(
      (
        await other.post('/api/auth/login', { data: { email: otherEmail, password: PASSWORD } })
      ).status(),
    ).toBe(200);
    const created = await other.post('/api/escalations', {
      multipart: {
        case: JSON.stringify({
          clientId: randomUUID(),
          crop: 'Maïs',
          description: 'Pustules sur les feuilles',
          contactPreference: 'app',
          regionCode: '08',
        }),
        photo: { name: 'photo-1.jpg', mimeType: 'image/jpeg', buffer: readFileSync(SAMPLE.file) },
      },
    });
    expect(created.status()).toBe(201);
    const caseId = ((await created.json()) as { id: string }).id;
    const answered = await lab.post(`/api/escalations/${caseId}/answer`, {
      data: { diagnosisSlug: SAMPLE.slug, message: 'Rouille commune confirmée.' },
    });
    expect(answered.status()).toBe(200);
    await other.dispose();
  }
  await expect
    .poll(async () => {
      const list = (await (await page.request.get('/api/notifications')).json()) as {
        items: { kind: string }[];
      };
      return list.items.filter((n) => n.kind === 'alert').length;
    })
    .toBe(1);

  await page.reload();
  await page.getByRole('navigation').getByRole('link', { name: 'Mes demandes' }).click();
  const alert = page.getByTestId('alert-item');
  const wording = new RegExp(
    `Confirmé dans votre région \\(Abitibi-Témiscamingue\\)(,? semaine du .+| cette semaine)\\s:\\s${frenchName(SAMPLE.slug)}`,
  );
  await expect(alert.getByRole('link', { name: wording })).toBeVisible();
  await expect(alert.getByText('Nouvelle')).toBeVisible();
  await alert.getByRole('link', { name: wording }).click();
  await expect(
    page.getByRole('heading', { level: 1, name: frenchName(SAMPLE.slug) }),
  ).toBeVisible();

  // A case of this producer with its exact location: the owner sees which staff viewed it.
  const own = await page.request.post('/api/escalations', {
    multipart: {
      case: JSON.stringify({
        clientId: randomUUID(),
        crop: 'Maïs',
        description: 'Avec localisation',
        contactPreference: 'app',
        location: { lat: GPS.latitude, lon: GPS.longitude },
      }),
      photo: { name: 'photo-1.jpg', mimeType: 'image/jpeg', buffer: readFileSync(SAMPLE.file) },
    },
  });
  expect(own.status()).toBe(201);
  const ownId = ((await own.json()) as { id: string }).id;
  await page.goto(`/#/cases/${ownId}`);
  const access = page.getByTestId('location-access');
  await expect(access.getByText('Personne n’a encore consulté')).toBeVisible();
  expect((await lab.get(`/api/escalations/${ownId}`)).status()).toBe(200);
  await page.reload();
  await expect(access.getByRole('listitem')).toHaveCount(1);
  await expect(access.getByRole('listitem')).toContainText('(spécialiste)');

  // Settings, signed in, with every section: no WCAG 2.2 AA violation.
  await page.goto('/#/settings');
  await expect(page.getByTestId('my-data')).toBeVisible();
  await expectNoViolations(page, 'settings (signed in)');

  // Export: a JSON file with this person's data, nobody else's.
  const downloading = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Télécharger mes données' }).click();
  const download = await downloading;
  expect(download.suggestedFilename()).toMatch(/^phytodiag-mes-donnees-\d{4}-\d{2}-\d{2}\.json$/);
  const exported = readFileSync((await download.path())!, 'utf8');
  expect(JSON.parse(exported)).toBeTruthy();
  expect(exported).toContain(email);
  for (const otherEmail of otherEmails) expect(exported).not.toContain(otherEmail);

  // What this account and another one left waiting on the device: a draft case, and (as if
  // this were a shared tablet an agronomist also used) photos queued for the bank.
  const me = ((await (await page.request.get('/api/auth/me')).json()) as { id: string }).id;
  const waitingRows = (rows: { store: string; row: Record<string, unknown> }[] | null) =>
    page.evaluate(async (put) => {
      const idb = await new Promise<IDBDatabase>((resolve, reject) => {
        const open = indexedDB.open('phytodiag');
        open.onsuccess = () => resolve(open.result);
        open.onerror = () => reject(open.error);
      });
      const stores = ['outbox', 'bankUploads'];
      const tx = idb.transaction(stores, 'readwrite');
      for (const { store, row } of put ?? []) tx.objectStore(store).put(row);
      const keys = stores.map(
        (store) =>
          new Promise<string>((resolve) => {
            const all = tx.objectStore(store).getAllKeys();
            all.onsuccess = () => resolve(`${store}:${all.result.map(String).sort().join(',')}`);
          }),
      );
      const done = await Promise.all(keys);
      idb.close();
      return done;
    }, rows);
  const stamp = new Date().toISOString();
  const draft = (clientId: string, ownerId: string) => ({
    store: 'outbox',
    row: {
      clientId,
      ownerId,
      state: 'draft',
      createdAt: stamp,
      updatedAt: stamp,
      case: { clientId, crop: 'Maïs', description: 'brouillon' },
      photos: [],
      attempts: 0,
      nextAttemptAt: stamp,
      lastError: null,
      permanentError: false,
      serverId: null,
    },
  });
  const upload = (clientId: string, userId: string) => ({
    store: 'bankUploads',
    row: {
      clientId,
      userId,
      state: 'failed',
      permanentError: true,
      createdAt: stamp,
      updatedAt: stamp,
      nextAttemptAt: stamp,
      photos: [],
      meta: {
        clientId,
        classSlug: SAMPLE.slug,
        crop: 'Maïs',
        authorCredit: 'x',
        licence: 'CC0-1.0',
      },
    },
  });
  expect(
    await waitingRows([
      draft('draft-mine', me),
      draft('draft-theirs', 'someone-else'),
      upload('upload-mine', me),
      upload('upload-theirs', 'someone-else'),
    ]),
  ).toEqual([
    expect.stringMatching(/^outbox:.*draft-mine,draft-theirs/),
    'bankUploads:upload-mine,upload-theirs',
  ]);

  // Deletion: password, then signed out here and the account is gone on the server.
  await page.getByLabel('Mot de passe (pour confirmer)').fill('pas-le-bon-mot-de-passe');
  await page.getByRole('button', { name: 'Supprimer définitivement mon compte' }).click();
  await expect(page.getByTestId('my-data').getByRole('alert')).toBeVisible();
  await page.getByLabel('Mot de passe (pour confirmer)').fill(PASSWORD);
  await page.getByRole('button', { name: 'Supprimer définitivement mon compte' }).click();
  await expect(page.getByTestId('account-deleted')).toHaveText('Votre compte a été supprimé.');
  await expect(page.getByRole('link', { name: 'Connexion', exact: true })).toBeVisible();
  // What it left waiting on the device went with it; the other account's rows stay.
  expect(await waitingRows(null)).toEqual([
    expect.not.stringMatching(/draft-mine/),
    'bankUploads:upload-theirs',
  ]);
  expect((await waitingRows(null))[0]).toContain('draft-theirs');
  await expect(page.getByLabel(SHARE)).toBeDisabled();
  expect(await page.evaluate(() => localStorage.getItem('phytodiag.user'))).toBeNull();
  const relog = await (
    await pwRequest.newContext({ baseURL: baseURL! })
  ).post('/api/auth/login', {
    data: { email, password: PASSWORD },
  });
  expect(relog.status()).toBe(401);
});

test('first result: the sharing question is asked once, and "yes" reports that diagnosis', async ({
  page,
  context,
  browser,
  baseURL,
}) => {
  test.setTimeout(180_000);
  const posted: string[] = [];
  context.on('request', (req) => {
    if (new URL(req.url()).pathname === '/api/detections' && req.method() === 'POST')
      posted.push(req.postData() ?? '');
  });
  const prompt = page.getByTestId('share-prompt');

  // Signed out: never asked (reports need an account).
  await startApp(page, 'producer');
  await waitForModel(page);
  await diagnose(page, SAMPLE.file);
  await expect(page.getByTestId('top-name')).toBeVisible();
  await expect(prompt).toHaveCount(0);

  // Signed in: asked under the result, nothing shared yet; "No thanks" is final on this device.
  await register(page, `prompt-no-${Date.now()}@example.org`, PASSWORD);
  await diagnose(page, SAMPLE.file);
  await expect(
    prompt.getByRole('heading', { name: 'Aider la surveillance régionale?' }),
  ).toBeVisible();
  await expectNoViolations(page, 'result with the sharing question');
  await prompt.getByRole('button', { name: 'Non merci' }).click();
  await expect(prompt).toHaveCount(0);
  await diagnose(page, SAMPLE.file);
  await expect(page.getByTestId('top-name')).toBeVisible();
  await expect(prompt).toHaveCount(0);
  expect(posted).toHaveLength(0);

  // Another device (fresh storage): "Yes" records the consent and reports the result on screen.
  const other = await browser.newContext({ baseURL });
  const second = await other.newPage();
  other.on('request', (req) => {
    if (new URL(req.url()).pathname === '/api/detections' && req.method() === 'POST')
      posted.push(req.postData() ?? '');
  });
  await startApp(second, 'producer');
  await waitForModel(second);
  await register(second, `prompt-yes-${Date.now()}@example.org`, PASSWORD);
  await diagnose(second, SAMPLE.file);
  await second.getByTestId('share-prompt').getByRole('button', { name: 'Oui, partager' }).click();
  await expect(second.getByTestId('share-prompt')).toHaveCount(0);
  await expect.poll(() => posted.length, { timeout: 30_000 }).toBe(1);
  const batch = JSON.parse(posted[0]!) as { items: { slug: string }[] };
  expect(batch.items.map((i) => i.slug)).toEqual([SAMPLE.slug]);
  await second.goto('/#/settings');
  await expect(second.getByLabel(SHARE)).toBeChecked();
  await other.close();
});
