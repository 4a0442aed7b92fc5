// A requester with no signal writes to the lab in a case's thread: the message waits on the
// device (through a reload) and goes once when the network returns, even after a lost answer.
// One the server refuses (the case was withdrawn meanwhile) stays, saying why.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test, type APIRequestContext, type Page } from '@playwright/test';
import sharp from 'sharp';
import type { EscalationMessageList } from '@phytodiag/api/contract';
import {
  deviceRows,
  expectNoViolations,
  IMAGEBANK,
  register,
  SAMPLE,
  sendCase,
  startApp,
  syncTags,
  waitForServiceWorker,
} from './helpers';

// Photos of their own (never sent by another spec): each case its own, so none is a duplicate.
const [CASE_A, CASE_B, ATTACHED] = readdirSync(join(IMAGEBANK, SAMPLE.slug))
  .filter((f) => f.endsWith('.jpg'))
  .sort()
  .slice(-9, -6)
  .map((f) => join(IMAGEBANK, SAMPLE.slug, f));

async function thread(api: APIRequestContext, id: string) {
  const res = await api.get(`/api/escalations/${id}/messages`);
  return ((await res.json()) as EscalationMessageList).items;
}

/** A new requester with one case, its page opened online once (so it reads offline). */
async function requesterWithCase(page: Page, stamp: number, photo: string) {
  await startApp(page, 'producer');
  await register(page, `message-hors-ligne-${stamp}@example.org`, 'phytodiag-e2e-pass');
  const c = await sendCase(page.request, photo, `Rouille — e2e ${stamp}`);
  await waitForServiceWorker(page);
  await page.goto(`/#/cases/${c.id}`);
  await expect(page.getByText(`Rouille — e2e ${stamp}`)).toBeVisible();
  return c;
}

test('a message written with no signal waits on the device and goes once when the network returns', async ({
  page,
  context,
}) => {
  const stamp = Date.now();
  const c = await requesterWithCase(page, stamp, CASE_A ?? '');

  // In the field: no signal, and the app opened again. The form still writes.
  await context.setOffline(true);
  await page.reload();
  await expect(
    page.getByText(
      'Hors ligne : écrivez quand même, votre message partira dès le retour du réseau.',
    ),
  ).toBeVisible();
  const text = `Les taches gagnent le rang voisin (${stamp}).`;
  await page.getByLabel('Votre message').fill(text);
  // A 12-megapixel phone photo: kept at 2048 px on its long side, to go over a weak uplink.
  const big = await sharp(ATTACHED ?? '')
    .resize(4000, 3000, { fit: 'fill' })
    .jpeg({ quality: 95 })
    .toBuffer();
  await page
    .getByTestId('case-msg-photo')
    .setInputFiles({ name: 'grande.jpg', mimeType: 'image/jpeg', buffer: big });
  await page.getByRole('button', { name: 'Envoyer', exact: true }).click();
  await expect(
    page.getByText(
      'Pas de réseau : votre message est gardé sur cet appareil. Il partira de lui-même dès le retour du réseau.',
    ),
  ).toBeFocused();
  await expect(page.getByLabel('Votre message')).toHaveValue('');
  const queued = page.getByTestId('queued-message');
  await expect(queued).toContainText(text);
  await expect(queued).toContainText('1 photo jointe');
  await expect(queued.getByTestId('queued-state')).toHaveText(
    'Pas encore envoyé · en attente du réseau',
  );
  await expect(page.getByText('Aucun message.')).toHaveCount(0);
  await expectNoViolations(page, 'case thread, message kept offline');

  // Closed and opened again, still offline: it is there, waiting.
  await page.reload();
  await expect(queued).toContainText(text);
  expect(await thread(page.request, c.id)).toEqual([]);

  // Back in signal, the message reaches the server but its answer is lost on the way back.
  const statuses: (number | 'lost')[] = [];
  const bytesSent: number[] = [];
  await context.route('**/api/escalations/*/messages', async (route) => {
    if (route.request().method() !== 'POST') return route.continue();
    bytesSent.push(route.request().postDataBuffer()?.length ?? 0);
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
  await expect.poll(() => statuses).toEqual(['lost']);
  await expect(queued).toContainText(text);
  // The next try (the network « comes back » again) gets the message it wrote. The service
  // worker's sync, still registered, may take the queue first and leave the message in its
  // backoff: the page's run for the network's return then goes after it, not 30 s later.
  await context.setOffline(true);
  await context.setOffline(false);
  await expect(queued).toHaveCount(0);
  expect(statuses).toEqual(['lost', 200]);
  // The photo went reduced (≈ 0.25 MB), not as picked (1.2 MB).
  expect(Math.max(...bytesSent)).toBeLessThan(big.length / 3);
  const sent = page.getByTestId('thread').getByRole('listitem').filter({ hasText: text });
  await expect(sent).toHaveCount(1);
  await expect(sent.getByRole('button', { name: /Agrandir la photo 1 sur 1/ })).toBeVisible();

  // Another, offline again without leaving the screen: its notice turns to « envoyé » once it went.
  const next = `Le champ d’à côté aussi (${stamp}).`;
  await context.setOffline(true);
  await page.getByLabel('Votre message').fill(next);
  await page.getByRole('button', { name: 'Envoyer', exact: true }).click();
  const kept = page.getByText(/^Pas de réseau\s: votre message est gardé/);
  await expect(kept).toBeVisible();
  await context.setOffline(false);
  await expect(page.getByText('Message envoyé.')).toBeVisible();
  await expect(kept).toHaveCount(0);

  // A third, written with signal but whose try is cut: kept, and the notice does not blame a
  // network the phone has. Its next try (the network « back ») sends it.
  const third = `Et la haie de cèdres (${stamp}).`;
  await context.route('**/api/escalations/*/messages', (route) =>
    route.request().method() === 'POST' ? route.abort('connectionreset') : route.fallback(),
  );
  await page.getByLabel('Votre message').fill(third);
  await page.getByRole('button', { name: 'Envoyer', exact: true }).click();
  await expect(
    page.getByText(
      'Envoi manqué : votre message est gardé sur cet appareil. Il repartira de lui-même.',
    ),
  ).toBeFocused();
  await expect(queued.getByTestId('queued-state')).toHaveText(
    'Pas encore envoyé · envoi manqué, nouvel essai automatique',
  );
  await context.unrouteAll();
  await context.setOffline(true);
  await context.setOffline(false);
  await expect(queued).toHaveCount(0);

  // The lab has each once, in order, the first with its photo.
  const onServer = await thread(page.request, c.id);
  expect(onServer.map((m) => [m.body, m.photos.length])).toEqual([
    [text, 1],
    [next, 0],
    [third, 0],
  ]);
  expect(await deviceRows(page, 'messageOutbox')).toEqual([]);
});

test('a message the server refuses once the network returns stays, saying why, until deleted', async ({
  page,
  context,
}) => {
  const stamp = Date.now();
  const c = await requesterWithCase(page, stamp, CASE_B ?? '');

  await context.setOffline(true);
  const text = `Finalement c’est réglé? (${stamp})`;
  await page.getByLabel('Votre message').fill(text);
  await page.getByRole('button', { name: 'Envoyer', exact: true }).click();
  const queued = page.getByTestId('queued-message');
  await expect(queued).toContainText(text);

  // Meanwhile, from another device, the requester withdrew the request (no answer yet).
  const closed = await page.request.post(`/api/escalations/${c.id}/close`, { data: {} });
  expect(closed.status()).toBe(200);

  await context.setOffline(false);
  await expect(queued.getByTestId('queued-state')).toHaveText(
    'Non envoyé : Cette demande a été fermée sans réponse du laboratoire : envoyez plutôt une nouvelle demande. Un nouveau problème, ou une suite? Envoyez une nouvelle demande.',
  );
  await expect(queued.getByRole('link', { name: /Envoyez une nouvelle demande/ })).toBeVisible();
  // The notice that said it would go no longer says so.
  await expect(page.getByText(/^Pas de réseau\s: votre message est gardé/)).toHaveCount(0);
  await expectNoViolations(page, 'case thread, message refused');
  // Not tried again by itself: still one refusal after the network « returns » again.
  await context.setOffline(true);
  await context.setOffline(false);
  await expect(queued).toContainText('Non envoyé');
  expect(await thread(page.request, c.id)).toEqual([]);

  await queued.getByRole('button', { name: 'Supprimer ce message' }).click();
  await expect(queued).toHaveCount(0);
  expect(await deviceRows(page, 'messageOutbox')).toEqual([]);
});

test('a message kept offline goes by Background Sync, the app closed by then', async ({
  page,
  context,
}) => {
  const stamp = Date.now();
  const c = await requesterWithCase(page, stamp, ATTACHED ?? '');
  await context.setOffline(true);
  const text = `Écrit avant de ranger le téléphone (${stamp}).`;
  await page.getByLabel('Votre message').fill(text);
  await page.getByRole('button', { name: 'Envoyer', exact: true }).click();
  await expect(page.getByTestId('queued-message')).toContainText(text);
  // The app asked the browser to wake its service worker when the network returns.
  await expect.poll(() => syncTags(page)).toContain('phytodiag-messages');
  // The producer closes the app, still in the field; the signal comes back later.
  const posts: boolean[] = [];
  context.on('request', (r) => {
    if (r.method() === 'POST' && r.url().endsWith(`/api/escalations/${c.id}/messages`)) {
      posts.push(r.serviceWorker() !== null);
    }
  });
  await page.close();
  await context.setOffline(false);
  await expect
    .poll(async () => (await thread(context.request, c.id)).map((m) => m.body), {
      timeout: 60_000,
    })
    .toEqual([text]);
  // Sent by the service worker, no page open.
  expect(posts).toEqual([true]);
});

test('a message that waited on its device says when it was written, beside when it arrived', async ({
  page,
}) => {
  const stamp = Date.now();
  const c = await requesterWithCase(page, stamp, CASE_A ?? '');
  // As the device's queue sends it: written three hours ago, in the field.
  const writtenAt = new Date(stamp - 3 * 3600_000).toISOString();
  const res = await page.request.post(`/api/escalations/${c.id}/messages`, {
    data: { body: `Écrit ce matin (${stamp}).`, clientId: crypto.randomUUID(), writtenAt },
  });
  expect(res.status()).toBe(201);
  await page.reload();
  const item = page
    .getByTestId('thread')
    .getByRole('listitem')
    .filter({ hasText: `Écrit ce matin (${stamp}).` });
  await expect(item.locator('.meta')).toHaveText(
    /^Producteur · écrit le .+ sans réseau, reçu le .+$/,
  );
});
