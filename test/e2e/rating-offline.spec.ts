// A requester reads the lab's answer in the field, with no signal, and rates it: the rating waits
// on the device (through a reload) and reaches the lab once when the network returns, even after
// a lost answer. A rating kept by mistake can be taken back; one cut online says so.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import type { Escalation } from '@phytodiag/api/contract';
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
  watchBackgroundSync,
} from './helpers';

// Photos of their own (never sent by another spec): each case its own, so none is a duplicate.
const [CASE_A, CASE_B, CASE_C] = readdirSync(join(IMAGEBANK, SAMPLE.slug))
  .filter((f) => f.endsWith('.jpg'))
  .sort()
  .slice(-12, -9)
  .map((f) => join(IMAGEBANK, SAMPLE.slug, f));

/** A new requester with one case the lab answered, its page opened online once (reads offline). */
async function answeredCase(page: Page, stamp: number, photo: string, labAnswer: string) {
  await startApp(page, 'producer');
  await register(page, `note-hors-ligne-${stamp}@example.org`, 'phytodiag-e2e-pass');
  const c = await sendCase(page.request, photo, `Rouille — e2e ${stamp}`);
  const lab = await page
    .context()
    .browser()
    ?.newContext({ baseURL: new URL(page.url()).origin });
  if (!lab) throw new Error('no browser');
  const login = await lab.request.post('/api/auth/login', {
    data: { email: 'specialiste@demo.local', password: 'phytodiag-demo' },
  });
  expect(login.status()).toBe(200);
  const answer = await lab.request.post(`/api/escalations/${c.id}/answer`, {
    data: { diagnosisSlug: SAMPLE.slug, message: labAnswer },
  });
  expect(answer.status(), await answer.text()).toBe(200);
  await waitForServiceWorker(page);
  await page.goto(`/#/cases/${c.id}`);
  await expect(page.getByText(labAnswer)).toBeVisible();
  return { c, lab };
}

async function ratingOnServer(page: Page, id: string) {
  const res = await page.request.get(`/api/escalations/${id}`);
  return ((await res.json()) as Escalation).rating;
}

test('a rating given with no signal waits on the device and reaches the lab once when the network returns', async ({
  page,
  context,
}) => {
  const stamp = Date.now();
  const { c, lab } = await answeredCase(page, stamp, CASE_A ?? '', `Rouille commune (${stamp}).`);
  await lab.close();

  // In the field: no signal, the app opened again. The answer reads, and the form still rates.
  await context.setOffline(true);
  await page.reload();
  const form = page.getByTestId('rating-form');
  await expect(form).toContainText(
    'Hors ligne : notez quand même, votre avis partira dès le retour du réseau.',
  );
  await form.getByRole('radio', { name: '4 sur 5' }).check();
  await form.getByLabel('Commentaire (facultatif)').fill(`Clair, merci (${stamp}).`);
  await form.getByRole('button', { name: 'Envoyer mon avis' }).click();
  const state = page.getByTestId('queued-rating-state');
  await expect(state).toHaveText(
    /^Pas de réseau\s: votre note \(4 sur 5\) est gardée sur cet appareil\. Elle partira d’elle-même dès le retour du réseau\.$/,
  );
  await expect(state).toBeFocused();
  await expect(form).toHaveCount(0);
  await expectNoViolations(page, 'case, rating kept offline');
  // The app asked the browser to wake its service worker when the network returns.
  await expect.poll(() => syncTags(page)).toContain('phytodiag-ratings');

  // Closed and opened again, still offline: it is there, waiting.
  await page.reload();
  await expect(state).toHaveText(
    'Votre note : 4 sur 5 · pas encore envoyée, en attente du réseau.',
  );
  await expect(page.getByTestId('queued-rating')).toContainText(`Clair, merci (${stamp}).`);
  expect(await ratingOnServer(page, c.id)).toBeNull();

  // Back in signal, the rating reaches the server but its answer is lost on the way back.
  const statuses: (number | 'lost')[] = [];
  await context.route('**/api/escalations/*/rating', async (route) => {
    const res = await route.fetch();
    if (statuses.length === 0) {
      statuses.push(res.status() === 200 ? 'lost' : res.status());
      return route.abort('connectionreset');
    }
    statuses.push(res.status());
    return route.fulfill({ response: res });
  });
  await context.setOffline(false);
  // The next try (the network « comes back » again, or the service worker's sync) is told the
  // case is already rated: done, with the rating the server kept.
  await expect.poll(() => statuses).toContain('lost');
  await context.setOffline(true);
  await context.setOffline(false);
  await expect(page.getByTestId('rating-done')).toHaveText('Merci! Votre note : 4 sur 5.');
  await expect(page.getByTestId('queued-rating')).toHaveCount(0);
  expect(statuses[0]).toBe('lost');
  expect(statuses.slice(1).every((s) => s === 409)).toBe(true);
  expect(await ratingOnServer(page, c.id)).toMatchObject({
    score: 4,
    comment: `Clair, merci (${stamp}).`,
  });
  // The row leaves the device with the try that meets ALREADY_RATED. The screen may read the
  // rating first (the case read again as the network returned); the page's run for the network's
  // return makes that try, after the service worker's sync if it holds the queue.
  await expect.poll(() => deviceRows(page, 'ratingOutbox')).toEqual([]);
  // Read again from the server, the case stays rated: no form to rate it twice.
  await page.reload();
  await expect(page.getByTestId('rating-done')).toHaveText('Merci! Votre note : 4 sur 5.');
  await expect(page.getByTestId('rating-form')).toHaveCount(0);
});

test('a rating kept offline can be taken back and given again before it goes', async ({
  page,
  context,
}) => {
  const stamp = Date.now();
  const { c, lab } = await answeredCase(page, stamp, CASE_B ?? '', `Carence probable (${stamp}).`);
  await lab.close();

  // A wrong tap with no signal: 2 instead of 5.
  await context.setOffline(true);
  const form = page.getByTestId('rating-form');
  await form.getByRole('radio', { name: '2 sur 5' }).check();
  await form.getByRole('button', { name: 'Envoyer mon avis' }).click();
  const queued = page.getByTestId('queued-rating');
  await expect(queued).toContainText('votre note (2 sur 5) est gardée');
  await queued.getByRole('button', { name: 'Supprimer cette note' }).click();
  await expect(queued).toHaveCount(0);
  expect(await deviceRows(page, 'ratingOutbox')).toEqual([]);

  await form.getByRole('radio', { name: '5 sur 5' }).check();
  await form.getByRole('button', { name: 'Envoyer mon avis' }).click();
  await expect(queued).toContainText('votre note (5 sur 5) est gardée');
  await context.setOffline(false);
  await expect(page.getByTestId('rating-done')).toHaveText('Merci! Votre note : 5 sur 5.');
  expect(await ratingOnServer(page, c.id)).toMatchObject({ score: 5, comment: null });
});

test('a rating cut on a working network says so, and goes by itself', async ({ page, context }) => {
  const stamp = Date.now();
  const { c, lab } = await answeredCase(page, stamp, CASE_C ?? '', `Brûlure (${stamp}).`);
  await lab.close();

  // Online, but the signal drops as the rating leaves.
  const syncs = await watchBackgroundSync(context, page);
  let tries = 0;
  await context.route('**/api/escalations/*/rating', (route) =>
    tries++ === 0 ? route.abort('connectionreset') : route.continue(),
  );
  const form = page.getByTestId('rating-form');
  await form.getByRole('radio', { name: '3 sur 5' }).check();
  await form.getByRole('button', { name: 'Envoyer mon avis' }).click();
  const state = page.getByTestId('queued-rating-state');
  await expect(state).toHaveText('Votre note : 3 sur 5 · envoi manqué, nouvel essai automatique.');
  await expect(state).toBeFocused();
  // The sync the form registered fired at once (online) and left the rating in its backoff: it
  // asked the browser to fire again later rather than be done. Were the app closed now, the
  // rating would otherwise wait for it to be opened again.
  const ratingSync = () => syncs.filter((e) => e.tag === 'phytodiag-ratings');
  await expect.poll(() => ratingSync().map((e) => e.name)).toContain('sync event failed');
  const failed = ratingSync().find((e) => e.name === 'sync event failed');
  expect(Number(failed?.meta['Next Attempt Delay (ms)'])).toBeGreaterThan(0);
  // The next try (the network « comes back »: the page's run, after the service worker's sync if
  // that holds the queue then) sends it.
  await context.setOffline(true);
  await context.setOffline(false);
  await expect(page.getByTestId('rating-done')).toHaveText('Merci! Votre note : 3 sur 5.');
  expect(await ratingOnServer(page, c.id)).toMatchObject({ score: 3 });
});
