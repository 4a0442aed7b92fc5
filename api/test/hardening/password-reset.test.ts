import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectError, login, register } from '../helpers/http';
import { decodeQuotedPrintable, startSmtp, waitFor } from '../helpers/smtp';
import { createTestApp, type TestApp } from '../helpers/test-app';

const OLD = 'correct-horse-battery';
const NEW = 'rangs-de-fraises-2026';
const PUBLIC_URL = 'https://phytodiag.example.ca';

describe('« mot de passe oublié »: a one-time link by e-mail', () => {
  let smtp: Awaited<ReturnType<typeof startSmtp>>;
  let t: TestApp;
  beforeAll(async () => {
    smtp = await startSmtp();
    t = await createTestApp({
      SMTP_URL: smtp.url,
      PUBLIC_URL: `${PUBLIC_URL}/`,
      LOGIN_RATE_LIMIT_MAX: '50',
    });
  });
  afterAll(async () => {
    await t.close();
    await smtp.close();
  });

  const ask = (email: string, headers: Record<string, string> = {}) =>
    t.app.inject({ method: 'POST', url: '/api/auth/password-reset', headers, payload: { email } });
  const confirm = (token: string, newPassword: string) =>
    t.app.inject({
      method: 'POST',
      url: '/api/auth/password-reset/confirm',
      payload: { token, newPassword },
    });
  const me = (cookie: string) => t.app.inject({ url: '/api/auth/me', headers: { cookie } });
  const mailsTo = (email: string) => smtp.received.filter((m) => m.to.includes(email));
  /** The body of the n-th e-mail sent to `email` (1-based), once it has arrived. */
  const mail = async (email: string, n = 1) =>
    decodeQuotedPrintable((await waitFor(() => mailsTo(email)[n - 1])).data);
  const tokenIn = (body: string) => {
    const m = /https:\/\/phytodiag\.example\.ca\/#\/reset\?token=([A-Za-z0-9_-]+)/.exec(body);
    if (!m) throw new Error(`no reset link in: ${body}`);
    return m[1]!;
  };

  it('answers the same for an unknown address, and e-mails only an existing account', async () => {
    await register(t.app, 'oublie@example.com');
    const unknown = await ask('personne@example.com');
    expect(unknown.statusCode).toBe(202);
    expect(unknown.json()).toEqual({ mailEnabled: true });
    // A stranger's Host header does not get into the link.
    const known = await ask(' Oublie@Example.com ', { host: 'piege.example.net' });
    expect(known.statusCode).toBe(202);
    expect(known.json()).toEqual(unknown.json());
    const body = await mail('oublie@example.com');
    expect(body).toContain('Pour en choisir un nouveau, ouvrez ce lien dans l’heure');
    expect(body).not.toContain('piege.example.net');
    expect(tokenIn(body).length).toBeGreaterThanOrEqual(40);
    expect(mailsTo('personne@example.com')).toEqual([]);
    // Only the token's hash is kept.
    const rows = await t.app.db.query<{ token_hash: string }>(
      'SELECT token_hash FROM password_resets',
    );
    expect(rows.map((r) => r.token_hash)).not.toContain(tokenIn(body));
  });

  it('sets the new password once, ends every session and signs the device in', async () => {
    await register(t.app, 'reprise@example.com');
    const stolen = await login(t.app, 'reprise@example.com');
    await ask('reprise@example.com');
    const token = tokenIn(await mail('reprise@example.com'));

    // A refused password does not use up the link.
    expectError(await confirm(token, 'court'), 400, 'PASSWORD_TOO_SHORT');
    const done = await confirm(token, NEW);
    expect(done.statusCode, done.body).toBe(200);
    expect(done.json()).toMatchObject({ email: 'reprise@example.com' });
    const cookie = done.cookies.find((c) => c.name === 'phytodiag_session');
    expect(cookie?.httpOnly).toBe(true);
    expect((await me(`phytodiag_session=${cookie?.value}`)).statusCode).toBe(200);
    expectError(await me(stolen), 401, 'UNAUTHENTICATED');
    await login(t.app, 'reprise@example.com', NEW);

    const again = await confirm(token, 'encore-un-autre-2026');
    expectError(again, 400, 'RESET_LINK_INVALID');
    expect((again.json() as { error: { message: string } }).error.message).toMatch(
      /Demandez-en un nouveau/,
    );
  });

  it('only the latest link works, and none after an hour', async () => {
    await register(t.app, 'deux-liens@example.com');
    await ask('deux-liens@example.com');
    const first = tokenIn(await mail('deux-liens@example.com', 1));
    await ask('deux-liens@example.com');
    const second = tokenIn(await mail('deux-liens@example.com', 2));
    expectError(await confirm(first, NEW), 400, 'RESET_LINK_INVALID');

    await t.app.db.query(
      `UPDATE password_resets SET expires_at = now() - interval '1 second'
        WHERE user_id = (SELECT id FROM users WHERE email = $1)`,
      ['deux-liens@example.com'],
    );
    expectError(await confirm(second, NEW), 400, 'RESET_LINK_INVALID');
    expectError(await confirm('pas-un-vrai-jeton', NEW), 400, 'RESET_LINK_INVALID');
    await login(t.app, 'deux-liens@example.com', OLD);
    // The retention purge removes the expired link.
    expect((await t.app.services.privacy.purge()).passwordResets).toBeGreaterThanOrEqual(1);
  });

  it('writes to an English account in English', async () => {
    await t.app.inject({
      method: 'POST',
      url: '/api/auth/register',
      payload: {
        email: 'forgot@example.com',
        password: OLD,
        profileKind: 'gardener',
        language: 'en',
      },
    });
    await ask('forgot@example.com');
    const mailEn = await waitFor(() => mailsTo('forgot@example.com')[0]);
    expect(mailEn.data).toContain('Subject: Phytodiag: choose a new password');
    expect(decodeQuotedPrintable(mailEn.data)).toContain('open this link within the hour');
  });

  it('a deleted account’s link dies with it', async () => {
    await register(t.app, 'partir@example.com');
    const cookie = await login(t.app, 'partir@example.com');
    await ask('partir@example.com');
    const token = tokenIn(await mail('partir@example.com'));
    const deleted = await t.app.inject({
      method: 'POST',
      url: '/api/privacy/delete',
      headers: { cookie },
      payload: { password: OLD },
    });
    expect(deleted.statusCode).toBe(204);
    expectError(await confirm(token, NEW), 400, 'RESET_LINK_INVALID');
  });

  it('without SMTP_URL the server says no e-mail will come', async () => {
    const quiet = await createTestApp();
    try {
      const res = await quiet.app.inject({
        method: 'POST',
        url: '/api/auth/password-reset',
        payload: { email: 'qui-que-ce-soit@example.com' },
      });
      expect(res.statusCode).toBe(202);
      expect(res.json()).toEqual({ mailEnabled: false });
      // The screen can say so before anyone types an address.
      expect((await quiet.app.inject({ url: '/api/auth/password-reset' })).json()).toEqual({
        mailEnabled: false,
      });
      expect((await t.app.inject({ url: '/api/auth/password-reset' })).json()).toEqual({
        mailEnabled: true,
      });
    } finally {
      await quiet.close();
    }
  });
});
