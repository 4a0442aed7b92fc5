import { expect, test, request as playwrightRequest } from '@playwright/test';
import type { EscalationList } from '@phytodiag/api/contract';
import { register, SAMPLE, startApp, waitForServiceWorker } from './helpers';

test('a case drafted offline survives a reload and reaches the API exactly once', async ({
  page,
  context,
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
  await page.getByLabel('Culture').fill('Maïs');
  await page.getByLabel('Ce que vous observez').fill(description);
  await page.getByTestId('submit-case').click();

  const outbox = page.getByTestId('outbox-list');
  await expect(outbox.getByText(description)).toBeVisible();
  await expect(outbox.locator('[data-state="queued"], [data-state="failed"]')).toHaveCount(1);

  // Closing/reloading while offline loses nothing.
  await page.reload();
  await expect(page.getByTestId('outbox-list').getByText(description)).toBeVisible();

  await context.setOffline(false);
  await expect(page.getByTestId('my-cases').getByText(description)).toBeVisible({
    timeout: 30_000,
  });
  await expect(page.getByTestId('outbox-list').getByText(description)).toHaveCount(0);

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
});
