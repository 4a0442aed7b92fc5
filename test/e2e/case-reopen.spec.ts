// After the lab closed a request it had answered, its requester can still write: the message
// reopens it. A request closed before any response offers a new request instead.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import type { Escalation } from '@phytodiag/api/contract';
import {
  expectNoViolations,
  IMAGEBANK,
  openLabCase,
  register,
  SAMPLE,
  sendCase,
  startApp,
} from './helpers';

// Photos of their own (never sent by another spec): each case its own, so none is a duplicate.
const PHOTOS = readdirSync(join(IMAGEBANK, SAMPLE.slug))
  .filter((f) => f.endsWith('.jpg'))
  .sort()
  .slice(-6, -4)
  .map((f) => join(IMAGEBANK, SAMPLE.slug, f));

test('a requester reopens an answered request the lab closed by writing to it; a withdrawn one offers a new request', async ({
  page,
  browser,
  playwright,
  baseURL,
}) => {
  const stamp = Date.now();
  await startApp(page, 'producer');
  await register(page, `reouverture-${stamp}@example.org`, 'phytodiag-e2e-pass');
  const answered = await sendCase(page.request, PHOTOS[0] ?? '', `Rouille — e2e ${stamp}`);
  const withdrawn = await sendCase(page.request, PHOTOS[1] ?? '', `Retirée — e2e ${stamp}`);

  // The lab answers the first and closes it; the requester withdraws the second.
  const lab = await playwright.request.newContext({ baseURL });
  const login = await lab.post('/api/auth/login', {
    data: { email: 'specialiste@demo.local', password: 'phytodiag-demo' },
  });
  expect(login.status()).toBe(200);
  const answer = await lab.post(`/api/escalations/${answered.id}/answer`, {
    data: { diagnosisSlug: SAMPLE.slug, message: `Rouille commune (${stamp}).` },
  });
  expect(answer.status(), await answer.text()).toBe(200);
  const { lab: labPage, context: labContext } = await openLabCase(
    browser,
    `Rouille — e2e ${stamp}`,
  );
  // Closing warns the lab that it is not the last word.
  const warning = new Promise<string>((resolve) =>
    labPage.once('dialog', (d) => {
      resolve(d.message());
      void d.accept();
    }),
  );
  await labPage.getByRole('button', { name: 'Fermer la demande' }).click();
  expect(await warning).toBe(
    'Fermer cette demande? Le demandeur pourra encore la rouvrir pendant 30 jours en vous écrivant.',
  );
  await expect(labPage.getByTestId('case-status')).toHaveText('Fermée');
  expect(
    (await page.request.post(`/api/escalations/${withdrawn.id}/close`, { data: {} })).status(),
  ).toBe(200);

  await page.goto(`/#/cases/${answered.id}`);
  await expect(page.getByText(`Rouille commune (${stamp}).`)).toBeVisible();
  const reopen = page.getByTestId('case-reopen');
  await expect(reopen).toContainText(
    /^Demande fermée\. Le problème continue ou revient\? Écrivez au laboratoire jusqu’au .+\s: votre message rouvre la demande, avec ses photos et sa réponse\.$/,
  );
  await expectNoViolations(page, 'closed case, reopenable');
  await page.getByLabel('Votre message').fill('Le traitement n’a pas marché : ça revient.');
  await page.getByRole('button', { name: 'Rouvrir la demande et envoyer' }).click();
  await expect(page.getByText('Demande rouverte : le laboratoire a votre message.')).toBeFocused();
  await expect(page.getByTestId('thread')).toContainText('Le traitement n’a pas marché');
  // Open again, as the lab has it: the form is the usual one.
  await expect(page.locator('.badge.status-answered')).toHaveText('Réponse reçue');
  await expect(page.getByRole('button', { name: 'Envoyer', exact: true })).toBeVisible();

  // The lab sees it waiting on them, and who reopened it.
  const seen = (await (await lab.get(`/api/escalations/${answered.id}`)).json()) as Escalation;
  expect(seen.status).toBe('answered');
  expect(seen.replyWaitingSince).not.toBeNull();
  expect(seen.history.at(-1)).toMatchObject({ from: 'closed', to: 'answered' });
  await lab.dispose();
  await labPage.reload();
  await expect(labPage.locator('ol.history li').last()).toContainText('Rouverte par le demandeur');
  await expect(labPage.getByTestId('thread')).toContainText('Le traitement n’a pas marché');
  await labContext.close();

  // Withdrawn before any answer: no reopening, a new request.
  await page.goto(`/#/cases/${withdrawn.id}`);
  const closed = page.getByTestId('case-closed');
  await expect(closed).toContainText('on ne peut plus y écrire');
  await expect(page.getByLabel('Votre message')).toHaveCount(0);
  await closed.getByRole('link', { name: /Envoyez une nouvelle demande/ }).click();
  await expect(
    page.getByRole('heading', { level: 1, name: 'Demander à un spécialiste' }),
  ).toBeVisible();
});
