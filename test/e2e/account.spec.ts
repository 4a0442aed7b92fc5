import { expect, test, type Page } from '@playwright/test';
import { expectNoViolations, register, signIn, startApp } from './helpers';
import { mailsTo } from './mail-catcher';

const PASSWORD = 'phytodiag-e2e-pass';
const NEW_PASSWORD = 'rangs-de-fraises-2026';

/**
 * The device's account screen is the signed-in one (Compte) or the sign-in form (Connexion); it
 * may take a moment, the time for the app to hear from the server that its session has ended.
 */
async function expectAccountScreen(page: Page, heading: 'Compte' | 'Connexion'): Promise<void> {
  await page.goto('/#/login');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(heading);
}

test('a lost phone: sign out the other devices, then change the password', async ({
  page,
  browser,
  baseURL,
}) => {
  const email = `compte-${Date.now()}@example.org`;
  await startApp(page, 'producer');
  await register(page, email, PASSWORD);

  // The same account on the office computer.
  const office = await browser.newContext({ baseURL });
  const computer = await office.newPage();
  await startApp(computer, 'producer');
  await signIn(computer, email, PASSWORD);

  // On the phone: « Déconnecter mes autres appareils ».
  await expectAccountScreen(page, 'Compte');
  await expectNoViolations(page, 'compte');
  await page.getByRole('button', { name: 'Déconnecter mes autres appareils' }).click();
  await expect(page.getByTestId('others-signed-out')).toHaveText(
    '1 autre appareil a été déconnecté.',
  );
  // The computer finds out at its next call to the server: here the account screen, left open
  // (unless the notification poll got there first), where a refused call signs the device out
  // rather than keep saying « Connecté ».
  await computer.goto('/#/login');
  const stale = computer.getByRole('button', { name: 'Déconnecter mes autres appareils' });
  if (await stale.isVisible()) await stale.click();
  await expect(computer.getByRole('heading', { level: 1 })).toHaveText('Connexion');
  await expectAccountScreen(page, 'Compte');

  // The computer signs in again; the phone changes the password. A wrong current one changes
  // nothing and says so in French.
  await signIn(computer, email, PASSWORD);
  await expectAccountScreen(page, 'Compte');
  await page.getByLabel('Mot de passe actuel').fill('pas-le-bon-mot-de-passe');
  await page.getByLabel('Nouveau mot de passe').fill(NEW_PASSWORD);
  await page.getByRole('button', { name: 'Changer le mot de passe' }).click();
  await expect(page.getByRole('alert')).toHaveText(
    'Mot de passe actuel incorrect : votre mot de passe n’a pas été changé.',
  );
  await expect(page.getByRole('alert')).toBeFocused();
  await expect(page.getByLabel('Mot de passe actuel')).toHaveAttribute('aria-invalid', 'true');

  await page.getByLabel('Mot de passe actuel').fill(PASSWORD);
  await page.getByRole('button', { name: 'Changer le mot de passe' }).click();
  await expect(page.getByTestId('password-changed')).toHaveText(
    'Mot de passe changé. 1 autre appareil a été déconnecté.',
  );
  // The fields are emptied (a password does not stay on screen) and the phone stays signed in.
  await expect(page.getByLabel('Mot de passe actuel')).toHaveValue('');
  await expect(page.getByLabel('Nouveau mot de passe')).toHaveValue('');
  expect((await page.request.get('/api/auth/me')).status()).toBe(200);

  // This time the computer finds out when the app starts again.
  await computer.reload();
  await expectAccountScreen(computer, 'Connexion');
  await computer.getByLabel('Courriel').fill(email);
  await computer.getByLabel('Mot de passe').fill(PASSWORD);
  await computer.getByRole('button', { name: 'Se connecter' }).click();
  await expect(computer.getByRole('alert')).toBeVisible();
  await signIn(computer, email, NEW_PASSWORD);
  await office.close();
});

test('« Mot de passe oublié »: the e-mailed link sets a new password and signs the device in', async ({
  page,
}) => {
  const email = `oubli-${Date.now()}@example.org`;
  await startApp(page, 'producer');
  await register(page, email, PASSWORD);
  await expectAccountScreen(page, 'Compte');
  await page.getByRole('button', { name: 'Se déconnecter' }).click();
  await expectAccountScreen(page, 'Connexion');

  // Nothing typed: the app says what is missing, in its own language (not the browser's bubble).
  await page.getByRole('button', { name: 'Se connecter' }).click();
  await expect(page.getByRole('alert')).toHaveText('Il manque : le courriel et le mot de passe.');
  await expect(page.getByLabel('Courriel')).toHaveAttribute('aria-invalid', 'true');

  await page.getByRole('link', { name: 'Mot de passe oublié?' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Mot de passe oublié');
  await page.getByLabel('Courriel').fill(email);
  await page.getByRole('button', { name: 'Envoyer le lien' }).click();
  await expect(page.getByTestId('reset-requested')).toContainText(
    `Si un compte existe pour ${email}, un courriel vient d’y être envoyé.`,
  );
  await expectNoViolations(page, 'mot de passe oublié');

  // The e-mail, as the SMTP server received it, in French.
  const mailDir = process.env.E2E_MAIL_DIR!;
  await expect.poll(() => mailsTo(mailDir, email).length, { timeout: 20_000 }).toBe(1);
  const link = /http:\/\/127\.0\.0\.1:\d+\/#\/reset\?token=[\w-]+/.exec(
    mailsTo(mailDir, email)[0]!,
  );
  expect(link).not.toBeNull();

  await page.goto(link![0]);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Nouveau mot de passe');
  await page.getByLabel('Nouveau mot de passe').fill(NEW_PASSWORD);
  await page.getByRole('button', { name: 'Enregistrer et me connecter' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Mes demandes' })).toBeVisible();
  expect((await page.request.get('/api/auth/me')).status()).toBe(200);

  // The link works once.
  await page.goto(link![0]);
  await page.getByLabel('Nouveau mot de passe').fill('encore-un-autre-2026');
  await page.getByRole('button', { name: 'Enregistrer et me connecter' }).click();
  await expect(page.getByRole('alert')).toContainText('Ce lien ne sert plus');

  // A link cut short by a mail program: said at once, with the way to a new one.
  await page.goto('/#/reset?tok');
  await expect(page.getByTestId('reset-link-incomplete')).toContainText('Ce lien est incomplet');
  await page
    .getByRole('link', { name: 'Le lien ne fonctionne plus? En demander un nouveau' })
    .click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Mot de passe oublié');
});

// Law 25: the notice says how long data is kept. The purge runs with RETENTION_*; the notice must
// say what the purge does here, not the defaults it was written with.
test('« Courriels »: the lab’s e-mails turned off offline reach the account with the network', async ({
  page,
  context,
}) => {
  const email = `courriels-${Date.now()}@example.org`;
  await startApp(page, 'producer');
  await register(page, email, PASSWORD);
  await page.goto('/#/settings');
  const section = page.getByTestId('case-mail');
  const box = section.getByLabel('M’écrire quand le laboratoire répond à mes demandes');
  // On by default, to the account's address.
  await expect(box).toBeChecked();
  await expect(section).toContainText(`Un courriel à ${email} par demande`);

  await context.setOffline(true);
  await box.uncheck();
  await expect(section.getByRole('status')).toHaveText(
    'Choix enregistré sur l’appareil; il sera transmis au serveur au retour du réseau.',
  );
  await expect(box).not.toBeChecked();
  await expectNoViolations(page, 'réglages, courriels');

  await context.setOffline(false);
  await expect(section.getByRole('status')).toHaveCount(0);
  const me = await page.request.get('/api/auth/me');
  expect(((await me.json()) as { mailCaseUpdates: boolean }).mailCaseUpdates).toBe(false);
  await page.reload();
  await expect(box).not.toBeChecked();
});

test('« Confidentialité » states the retention this server is set to', async ({
  page,
  context,
}) => {
  // Context-wide: the service worker fetches /api/public/ itself.
  await context.route('**/api/public/privacy-terms', (route) =>
    route.fulfill({
      json: {
        retention: { closedCaseContactDays: 90, deviceDetectionWeeks: 4, accessLogDays: 30 },
      },
    }),
  );
  await startApp(page, 'producer');
  await page.goto('/#/privacy');
  const retention = page.getByRole('region', { name: 'Combien de temps' });
  await expect(retention).toContainText(
    'sont effacés 3 mois après sa fermeture, ou après 3 mois sans activité. Les diagnostics ' +
      'partagés anonymement sont gardés 4 semaines, et la liste des consultations de votre ' +
      'position, un mois.',
  );
});

// A new colleague makes their own account; an admin gives it its role in « Équipe ». No
// password passes through the admin, and the lab never runs out of administrators.
test('« Équipe »: an admin makes a new account an agronomist, who can then add to the bank, and hands a forgotten-password link', async ({
  page,
  browser,
}) => {
  const email = `collegue-${Date.now()}@example.com`;
  await startApp(page, 'advisor');
  await register(page, email, PASSWORD);
  await page.goto('/#/bank/upload');
  await expect(page.getByRole('heading', { level: 1, name: 'Accès réservé' })).toBeVisible();

  // The clipboard as a browser gives it to a page the person uses (copy of the reset link).
  const adminContext = await browser.newContext({
    permissions: ['clipboard-read', 'clipboard-write'],
  });
  const admin = await adminContext.newPage();
  await startApp(admin, 'advisor');
  await signIn(admin, 'admin@demo.local', 'phytodiag-demo');
  await admin.goto('/#/lab');
  await admin.getByRole('link', { name: 'Équipe', exact: true }).click();
  await expect(admin.getByRole('heading', { level: 1, name: 'Équipe' })).toBeVisible();
  // At first, the team: the staff accounts, not every producer.
  await expect(admin.getByLabel('Rôle de admin@demo.local', { exact: true })).toHaveValue('admin');
  await expect(admin.getByLabel('Rôle de specialiste@demo.local', { exact: true })).toHaveValue(
    'specialist',
  );
  await expect(admin.getByLabel(`Rôle de ${email}`, { exact: true })).toHaveCount(0);
  await expectNoViolations(admin, 'team');

  // The last administrator cannot take away their own role.
  await admin
    .getByLabel('Rôle de admin@demo.local', { exact: true })
    .selectOption({ label: 'Spécialiste' });
  await admin.getByRole('button', { name: 'Enregistrer le rôle de admin@demo.local' }).click();
  await expect(admin.getByRole('alert')).toHaveText(
    'C’est le dernier compte administrateur : donnez d’abord ce rôle à quelqu’un d’autre.',
  );
  await expect(admin.getByLabel('Rôle de admin@demo.local', { exact: true })).toHaveValue('admin');

  await admin.getByLabel('Courriel ou nom (ou une partie)').fill(email.toUpperCase());
  await admin.getByRole('button', { name: 'Chercher' }).click();
  await expect(admin.getByTestId('team-status')).toHaveText('1 compte trouvé');
  await admin.getByLabel(`Rôle de ${email}`, { exact: true }).selectOption({ label: 'Agronome' });
  // What the chosen role may do is said under the list (a phone cuts long options).
  await expect(
    admin.getByRole('listitem').filter({ hasText: email }).getByTestId('role-rights'),
  ).toHaveText('Verse des photos à la banque d’images.');
  await admin.getByRole('button', { name: `Enregistrer le rôle de ${email}` }).click();
  await expect(admin.getByTestId('team-status')).toHaveText(`Rôle de ${email} : Agronome.`);
  // Who gave it, and when, stays on the card.
  await expect(
    admin.getByRole('listitem').filter({ hasText: email }).getByTestId('role-change'),
  ).toHaveText(/^Rôle donné le .+ par admin@demo\.local\.$/);

  // Back in the app (it stayed open), the screen that was refused is now the agronomist's.
  await expect(page.getByRole('heading', { level: 1, name: 'Accès réservé' })).toBeVisible();
  await page.evaluate(() => document.dispatchEvent(new Event('visibilitychange')));
  await expect(page.getByRole('heading', { level: 1, name: 'Soumettre des photos' })).toBeVisible();
  await expect(page.getByTestId('bank-input')).toBeAttached();

  // Password forgotten, no mail at hand: the colleague calls, the admin gives a one-time link.
  await admin
    .getByRole('button', { name: `Lien pour un nouveau mot de passe de ${email}`, exact: true })
    .click();
  const given = admin.getByTestId('reset-link');
  await expect(given).toContainText(`Lien à donner à ${email} : il sert une seule fois, jusqu’au`);
  const link = await given.getByRole('textbox').inputValue();
  expect(link).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/#\/reset\?token=[\w-]{43}$/);
  await given.getByRole('button', { name: 'Copier le lien' }).click();
  await expect(given.getByRole('status')).toHaveText('Lien copié.');
  expect(await admin.evaluate(() => navigator.clipboard.readText())).toBe(link);
  await expectNoViolations(admin, 'team, reset link');
  // Seen again later (by this admin or another), the card says who gave the last link.
  await admin.reload();
  await admin.getByLabel('Courriel ou nom (ou une partie)').fill(email);
  await admin.getByRole('button', { name: 'Chercher' }).click();
  await expect(
    admin.getByRole('listitem').filter({ hasText: email }).getByTestId('link-given'),
  ).toHaveText(/^Dernier lien de mot de passe donné le .+ par admin@demo\.local\.$/);
  await adminContext.close();
  const phoneContext = await browser.newContext();
  const phone = await phoneContext.newPage();
  await startApp(phone, 'advisor');
  await phone.goto(link);
  await expect(phone.getByRole('heading', { level: 1 })).toHaveText('Nouveau mot de passe');
  await phone.getByLabel('Nouveau mot de passe').fill('un-autre-mot-de-passe-2026');
  await phone.getByRole('button', { name: 'Enregistrer et me connecter' }).click();
  await expect(phone.getByRole('heading', { level: 1, name: 'Mes demandes' })).toBeVisible();
  expect((await phone.request.get('/api/auth/me')).status()).toBe(200);
  await phoneContext.close();
});
