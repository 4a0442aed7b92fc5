import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectError, login, register } from './helpers/http';
import { createTestApp, type TestApp } from './helpers/test-app';
import { hashToken } from '../src/services/auth-service';

describe('auth', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ LOGIN_RATE_LIMIT_MAX: '1000' });
  });
  afterAll(() => t.close());

  it('registers a producer, never a privileged role, and stores a hash', async () => {
    const payload = {
      email: 'Alice@Example.com',
      password: 'long-enough-pw',
      profileKind: 'gardener',
    };
    // A field outside the contract (here a role) is refused, not silently dropped.
    expectError(
      await t.app.inject({
        method: 'POST',
        url: '/api/auth/register',
        payload: { ...payload, role: 'admin' },
      }),
      400,
      'VALIDATION_ERROR',
    );
    const res = await t.app.inject({ method: 'POST', url: '/api/auth/register', payload });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({
      email: 'alice@example.com',
      role: 'producer',
      profileKind: 'gardener',
      language: 'fr',
    });
    expect(JSON.stringify(res.json())).not.toContain('password');
    const row = await t.app.db.one<{ password_hash: string }>(
      'SELECT password_hash FROM users WHERE email = $1',
      ['alice@example.com'],
    );
    expect(row.password_hash).toMatch(/^\$argon2id\$/);
  });

  it('signs the new account in, ending the session the request came with', async () => {
    const first = await t.app.inject({
      method: 'POST',
      url: '/api/auth/register',
      payload: {
        email: 'first-account@example.com',
        password: 'long-enough-pw',
        profileKind: 'producer',
      },
    });
    const firstCookie = first.cookies.find((c) => c.name === 'phytodiag_session');
    expect(firstCookie?.httpOnly).toBe(true);
    const me = (cookie: string) =>
      t.app.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie } });
    expect((await me(`phytodiag_session=${firstCookie!.value}`)).json()).toMatchObject({
      email: 'first-account@example.com',
    });
    // A second account registered from the same browser: the first account's session ends.
    const second = await t.app.inject({
      method: 'POST',
      url: '/api/auth/register',
      headers: { cookie: `phytodiag_session=${firstCookie!.value}` },
      payload: {
        email: 'second-account@example.com',
        password: 'long-enough-pw',
        profileKind: 'advisor',
      },
    });
    expect(second.statusCode).toBe(201);
    const secondCookie = second.cookies.find((c) => c.name === 'phytodiag_session');
    expect(secondCookie?.value).not.toBe(firstCookie!.value);
    expect((await me(`phytodiag_session=${secondCookie!.value}`)).json()).toMatchObject({
      email: 'second-account@example.com',
      role: 'producer',
    });
    expect((await me(`phytodiag_session=${firstCookie!.value}`)).statusCode).toBe(401);
    // A refused registration opens no session.
    const taken = await t.app.inject({
      method: 'POST',
      url: '/api/auth/register',
      payload: {
        email: 'FIRST-account@example.com',
        password: 'long-enough-pw',
        profileKind: 'producer',
      },
    });
    expectError(taken, 409, 'EMAIL_TAKEN');
    expect(taken.cookies.find((c) => c.name === 'phytodiag_session')).toBeUndefined();
  });

  it('rejects a duplicate email (any case) with 409 EMAIL_TAKEN', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/auth/register',
      payload: {
        email: 'ALICE@example.com',
        password: 'another-password',
        profileKind: 'producer',
      },
    });
    expectError(res, 409, 'EMAIL_TAKEN');
  });

  it('rejects short passwords (PASSWORD_TOO_SHORT) and bad emails (VALIDATION_ERROR)', async () => {
    expectError(
      await t.app.inject({
        method: 'POST',
        url: '/api/auth/register',
        payload: { email: 'b@example.com', password: 'short', profileKind: 'producer' },
      }),
      400,
      'PASSWORD_TOO_SHORT',
    );
    expectError(
      await t.app.inject({
        method: 'POST',
        url: '/api/auth/register',
        payload: { email: 'nope', password: 'long-enough-pw', profileKind: 'producer' },
      }),
      400,
      'VALIDATION_ERROR',
    );
  });

  it('gives the same INVALID_CREDENTIALS for a bad password and an unknown email', async () => {
    const bad = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { email: 'alice@example.com', password: 'wrong-password' },
    });
    const unknown = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { email: 'nobody@example.com', password: 'wrong-password' },
    });
    expectError(bad, 401, 'INVALID_CREDENTIALS');
    expect(unknown.statusCode).toBe(bad.statusCode);
    expect(unknown.json()).toEqual(bad.json());
    expect(bad.cookies).toHaveLength(0);
  });

  it('logs in with a secure session cookie whose hash only is stored', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { email: 'ALICE@example.com', password: 'long-enough-pw' },
    });
    expect(res.statusCode).toBe(200);
    const cookie = res.cookies.find((c) => c.name === 'phytodiag_session');
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/' });
    expect(cookie?.value).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const rows = await t.app.db.query<{ token_hash: string }>('SELECT token_hash FROM sessions');
    expect(rows.map((r) => r.token_hash)).toContain(hashToken(cookie?.value ?? ''));
    expect(rows.map((r) => r.token_hash)).not.toContain(cookie?.value);
    const me = await t.app.inject({
      url: '/api/auth/me',
      headers: { cookie: `phytodiag_session=${cookie?.value}` },
    });
    expect(me.json()).toMatchObject({ email: 'alice@example.com' });
  });

  it('marks the cookie Secure behind an HTTPS proxy when trusted', async () => {
    const t2 = await createTestApp({ TRUST_PROXY: 'true' });
    try {
      await register(t2.app, 'p@example.com');
      const res = await t2.app.inject({
        method: 'POST',
        url: '/api/auth/login',
        headers: { 'x-forwarded-proto': 'https' },
        payload: { email: 'p@example.com', password: 'correct-horse-battery' },
      });
      expect(res.cookies[0]?.secure).toBe(true);
    } finally {
      await t2.close();
    }
  });

  it('answers 401 UNAUTHENTICATED without a session, or with a garbage one', async () => {
    expectError(await t.app.inject({ url: '/api/auth/me' }), 401, 'UNAUTHENTICATED');
    expectError(
      await t.app.inject({ url: '/api/auth/me', headers: { cookie: 'phytodiag_session=forged' } }),
      401,
      'UNAUTHENTICATED',
    );
  });

  it('logout deletes the session row: the old cookie no longer works', async () => {
    const cookie = await login(t.app, 'alice@example.com', 'long-enough-pw');
    const before = await t.app.db.one<{ n: number }>('SELECT COUNT(*)::int AS n FROM sessions');
    const out = await t.app.inject({
      method: 'POST',
      url: '/api/auth/logout',
      headers: { cookie },
    });
    expect(out.statusCode).toBe(204);
    const after = await t.app.db.one<{ n: number }>('SELECT COUNT(*)::int AS n FROM sessions');
    expect(after.n).toBe(before.n - 1);
    expectError(
      await t.app.inject({ url: '/api/auth/me', headers: { cookie } }),
      401,
      'UNAUTHENTICATED',
    );
  });

  it('an expired session is refused', async () => {
    const cookie = await login(t.app, 'alice@example.com', 'long-enough-pw');
    expect((await t.app.inject({ url: '/api/auth/me', headers: { cookie } })).statusCode).toBe(200);
    await t.app.db.query(
      `UPDATE sessions SET expires_at = now() - interval '1 second' WHERE token_hash = $1`,
      [hashToken(cookie.split('=')[1] ?? '')],
    );
    expectError(
      await t.app.inject({ url: '/api/auth/me', headers: { cookie } }),
      401,
      'UNAUTHENTICATED',
    );
  });

  it('updates the profile; messages then follow the user language', async () => {
    const cookie = await login(t.app, 'alice@example.com', 'long-enough-pw');
    const res = await t.app.inject({
      method: 'PATCH',
      url: '/api/auth/me',
      headers: { cookie },
      payload: {
        profileKind: 'producer',
        crops: ['Pomme de terre'],
        regionCode: '12',
        language: 'en',
      },
    });
    expect(res.json()).toMatchObject({
      profileKind: 'producer',
      crops: ['Pomme de terre'],
      regionCode: '12',
      language: 'en',
    });
    const cleared = await t.app.inject({
      method: 'PATCH',
      url: '/api/auth/me',
      headers: { cookie },
      payload: { regionCode: null },
    });
    expect(cleared.json()).toMatchObject({ regionCode: null, crops: ['Pomme de terre'] });
    expectError(
      await t.app.inject({
        method: 'PATCH',
        url: '/api/auth/me',
        headers: { cookie },
        payload: { regionCode: '99' },
      }),
      400,
      'VALIDATION_ERROR',
    );
    const notFound = await t.app.inject({
      url: '/api/escalations/00000000-0000-4000-8000-000000000000',
      headers: { cookie },
    });
    expect((notFound.json() as { error: { message: string } }).error.message).toBe('Not found.');
  });

  it('picks the message language from Accept-Language, French by default', async () => {
    const fr = await t.app.inject({ url: '/api/auth/me' });
    expect((fr.json() as { error: { message: string } }).error.message).toBe(
      'Vous devez vous connecter.',
    );
    const en = await t.app.inject({
      url: '/api/auth/me',
      headers: { 'accept-language': 'de;q=1, en-CA;q=0.8, fr;q=0.5' },
    });
    expect((en.json() as { error: { message: string } }).error.message).toBe('You must sign in.');
  });

  it('the per-address limit counts /api requests, not files (offline library downloads)', async () => {
    const t3 = await createTestApp({ RATE_LIMIT_MAX: '3' });
    try {
      // Far more file requests than the limit: none is refused (404: no such image here).
      for (let i = 0; i < 10; i++) {
        const res = await t3.app.inject({ url: `/images/${'ab'.repeat(32)}-320.webp` });
        expect(res.statusCode).toBe(404);
      }
      for (let i = 0; i < 3; i++) {
        expect((await t3.app.inject({ url: '/api/health' })).statusCode).toBe(200);
      }
      expectError(await t3.app.inject({ url: '/api/health' }), 429, 'RATE_LIMITED');
    } finally {
      await t3.close();
    }
  });

  it('a form field refused by the contract is named, in the reader’s language', async () => {
    const post = (url: string, payload: Record<string, unknown>, lang = 'fr') =>
      t.app.inject({ method: 'POST', url, headers: { 'accept-language': lang }, payload });
    const message = (res: { json(): unknown }) =>
      (res.json() as { error: { message: string } }).error.message;
    // jean@ferme passes the browser's type=email, not the API's format.
    const noDomain = await post('/api/auth/register', {
      email: 'jean@ferme',
      password: 'long-enough-pw',
      profileKind: 'producer',
    });
    expectError(noDomain, 400, 'VALIDATION_ERROR');
    expect(message(noDomain)).toBe(
      'Certaines informations envoyées ne sont pas valides\u00a0: vérifiez le courriel.',
    );
    const tooLong = await post(
      '/api/auth/register',
      { email: 'long@example.com', password: 'x'.repeat(201), profileKind: 'producer' },
      'en',
    );
    expect(message(tooLong)).toBe('Some of the information sent is not valid: check the password.');
    // The details too are in the reader's language (ajv-i18n), not only the sentence.
    const details = (res: { json(): unknown }) =>
      (res.json() as { error: { details: { path: string; message: string }[] } }).error.details;
    expect(details(tooLong)).toEqual([
      { path: 'body/password', message: 'must NOT have more than 200 characters' },
    ]);
    const tooLongFr = await post('/api/auth/register', {
      email: 'long@example.com',
      password: 'x'.repeat(201),
      profileKind: 'producer',
    });
    expect(details(tooLongFr)).toEqual([
      { path: 'body/password', message: 'ne doit pas dépasser 200 caractères' },
    ]);
    const noToken = await post('/api/auth/password-reset/confirm', {
      newPassword: 'long-enough-pw',
    });
    expect(message(noToken)).toBe(
      'Certaines informations envoyées ne sont pas valides\u00a0: vérifiez le lien reçu par courriel.',
    );
    // A field the person does not type: the generic sentence, the details for developers.
    const bogus = await post('/api/auth/register', {
      email: 'a@example.com',
      password: 'long-enough-pw',
      profileKind: 'farmer',
    });
    expect(message(bogus)).toBe('Certaines informations envoyées ne sont pas valides.');
  });

  it('behind one proxy (TRUST_PROXY=1), an address the client writes in X-Forwarded-For does not escape the login limit', async () => {
    const t4 = await createTestApp({ LOGIN_RATE_LIMIT_MAX: '2', TRUST_PROXY: '1' });
    try {
      // The proxy appends the address it saw; what comes before it is the client's own words.
      const attempt = (i: number) =>
        t4.app.inject({
          method: 'POST',
          url: '/api/auth/login',
          remoteAddress: '10.0.0.2',
          headers: { 'x-forwarded-for': `203.0.113.${i}, 198.51.100.7` },
          payload: { email: 'x@example.com', password: 'whatever-pw' },
        });
      expectError(await attempt(1), 401, 'INVALID_CREDENTIALS');
      expectError(await attempt(2), 401, 'INVALID_CREDENTIALS');
      expectError(await attempt(3), 429, 'RATE_LIMITED');
      // Another real client (as the proxy saw it) has its own allowance.
      const other = await t4.app.inject({
        method: 'POST',
        url: '/api/auth/login',
        remoteAddress: '10.0.0.2',
        headers: { 'x-forwarded-for': '198.51.100.8' },
        payload: { email: 'x@example.com', password: 'whatever-pw' },
      });
      expectError(other, 401, 'INVALID_CREDENTIALS');
    } finally {
      await t4.close();
    }
  });

  it('limits registrations per address and hour, so EMAIL_TAKEN cannot probe a list fast', async () => {
    const t5 = await createTestApp({ REGISTER_RATE_LIMIT_MAX: '3' });
    try {
      const signUp = (email: string, remoteAddress = '203.0.113.9') =>
        t5.app.inject({
          method: 'POST',
          url: '/api/auth/register',
          remoteAddress,
          headers: { 'accept-language': 'fr-CA' },
          payload: { email, password: 'correct-horse-battery', profileKind: 'producer' },
        });
      // A form the server refuses does not use the allowance.
      expectError(
        await t5.app.inject({
          method: 'POST',
          url: '/api/auth/register',
          remoteAddress: '203.0.113.9',
          payload: { email: 'pas-un-courriel' },
        }),
        400,
        'VALIDATION_ERROR',
      );
      expect((await signUp('a@example.com')).statusCode).toBe(201);
      expectError(await signUp('a@example.com'), 409, 'EMAIL_TAKEN');
      expect((await signUp('b@example.com')).statusCode).toBe(201);
      const refused = await signUp('c@example.com');
      expectError(refused, 429, 'RATE_LIMITED');
      expect((refused.json() as { error: { message: string } }).error.message).toMatch(
        /réessayez/i,
      );
      expect(Number(refused.headers['retry-after'])).toBeGreaterThan(60);
      // Nothing was made: the address is still free once the hour has passed, or from elsewhere.
      expect((await signUp('c@example.com', '198.51.100.4')).statusCode).toBe(201);
      // Signing in is not counted against the address's registrations.
      const login = await t5.app.inject({
        method: 'POST',
        url: '/api/auth/login',
        remoteAddress: '203.0.113.9',
        payload: { email: 'a@example.com', password: 'correct-horse-battery' },
      });
      expect(login.statusCode).toBe(200);
    } finally {
      await t5.close();
    }
  });

  it('rate-limits login attempts with RATE_LIMITED', async () => {
    const t3 = await createTestApp({ LOGIN_RATE_LIMIT_MAX: '2' });
    try {
      const attempt = () =>
        t3.app.inject({
          method: 'POST',
          url: '/api/auth/login',
          payload: { email: 'x@example.com', password: 'whatever-pw' },
        });
      await attempt();
      await attempt();
      expectError(await attempt(), 429, 'RATE_LIMITED');
    } finally {
      await t3.close();
    }
  });
});
