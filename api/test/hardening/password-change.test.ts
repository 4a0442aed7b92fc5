import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectError, login, register } from '../helpers/http';
import { createTestApp, type TestApp } from '../helpers/test-app';

const OLD = 'correct-horse-battery';
const NEW = 'rangs-de-fraises-2026';

describe('password change and ending the other sessions', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ LOGIN_RATE_LIMIT_MAX: '5' });
  });
  afterAll(() => t.close());

  const me = (cookie: string) => t.app.inject({ url: '/api/auth/me', headers: { cookie } });
  const change = (cookie: string, currentPassword: string, newPassword: string, lang = 'fr') =>
    t.app.inject({
      method: 'POST',
      url: '/api/auth/password',
      headers: { cookie, 'accept-language': lang },
      payload: { currentPassword, newPassword },
    });
  const loginStatus = async (email: string, password: string) =>
    (
      await t.app.inject({
        method: 'POST',
        url: '/api/auth/login',
        remoteAddress: `10.9.${Math.floor(Math.random() * 250)}.1`,
        payload: { email, password },
      })
    ).statusCode;

  it('needs a session', async () => {
    expectError(
      await t.app.inject({
        method: 'POST',
        url: '/api/auth/password',
        payload: { currentPassword: OLD, newPassword: NEW },
      }),
      401,
      'UNAUTHENTICATED',
    );
    expectError(
      await t.app.inject({ method: 'POST', url: '/api/auth/logout-others' }),
      401,
      'UNAUTHENTICATED',
    );
  });

  it('refuses a wrong current password, the same password, or a weak one, and keeps the old', async () => {
    await register(t.app, 'refus@example.com');
    const cookie = await login(t.app, 'refus@example.com');
    const wrong = await change(cookie, 'not-the-password', NEW);
    expectError(wrong, 403, 'CURRENT_PASSWORD_WRONG');
    expect((wrong.json() as { error: { message: string } }).error.message).toMatch(
      /n’a pas été changé/,
    );
    expectError(await change(cookie, OLD, OLD), 400, 'PASSWORD_UNCHANGED');
    expectError(await change(cookie, OLD, 'court'), 400, 'PASSWORD_TOO_SHORT');
    expectError(
      await change(cookie, OLD, 'refus@example.com-2026', 'en'),
      400,
      'PASSWORD_CONTAINS_EMAIL',
    );
    expect(await loginStatus('refus@example.com', OLD)).toBe(200);
    expect((await me(cookie)).statusCode).toBe(200);
  });

  it('a change ends every session, including the old token of the device that asked', async () => {
    await register(t.app, 'change@example.com');
    const phone = await login(t.app, 'change@example.com');
    const computer = await login(t.app, 'change@example.com');
    await register(t.app, 'voisin@example.com');
    const neighbour = await login(t.app, 'voisin@example.com');

    const res = await change(phone, OLD, NEW);
    expect(res.statusCode).toBe(200);
    // The computer's, and the one registering opened; not the phone's own.
    expect(res.json()).toEqual({ ended: 2 });
    const fresh = res.cookies.find((c) => c.name === 'phytodiag_session');
    expect(fresh?.httpOnly).toBe(true);
    expect(`phytodiag_session=${fresh?.value}`).not.toBe(phone);

    expectError(await me(phone), 401, 'UNAUTHENTICATED');
    expectError(await me(computer), 401, 'UNAUTHENTICATED');
    expect((await me(`phytodiag_session=${fresh?.value}`)).json()).toMatchObject({
      email: 'change@example.com',
    });
    expect((await me(neighbour)).statusCode).toBe(200);
    expect(await loginStatus('change@example.com', OLD)).toBe(401);
    expect(await loginStatus('change@example.com', NEW)).toBe(200);
  });

  it('« sign out my other devices » keeps only the session that asked', async () => {
    await register(t.app, 'perdu@example.com');
    const here = await login(t.app, 'perdu@example.com');
    const lostPhone = await login(t.app, 'perdu@example.com');
    const officePc = await login(t.app, 'perdu@example.com');
    await register(t.app, 'autre@example.com');
    const someoneElse = await login(t.app, 'autre@example.com');

    const res = await t.app.inject({
      method: 'POST',
      url: '/api/auth/logout-others',
      headers: { cookie: here },
    });
    expect(res.statusCode).toBe(200);
    // Both devices, and the session registering opened.
    expect(res.json()).toEqual({ ended: 3 });
    expect((await me(here)).statusCode).toBe(200);
    expectError(await me(lostPhone), 401, 'UNAUTHENTICATED');
    expectError(await me(officePc), 401, 'UNAUTHENTICATED');
    expect((await me(someoneElse)).statusCode).toBe(200);

    const again = await t.app.inject({
      method: 'POST',
      url: '/api/auth/logout-others',
      headers: { cookie: here },
    });
    expect(again.json()).toEqual({ ended: 0 });
  });

  it('a stolen session cannot guess the password through it: the 6th guess in a minute is 429', async () => {
    await register(t.app, 'vol@example.com');
    const cookie = await login(t.app, 'vol@example.com');
    for (let i = 0; i < 5; i++) {
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/auth/password',
        remoteAddress: `10.2.0.${i}`,
        headers: { cookie },
        payload: { currentPassword: `guess-number-${i}`, newPassword: NEW },
      });
      expectError(res, 403, 'CURRENT_PASSWORD_WRONG');
    }
    const limited = await t.app.inject({
      method: 'POST',
      url: '/api/auth/password',
      remoteAddress: '10.2.0.9',
      headers: { cookie },
      payload: { currentPassword: OLD, newPassword: NEW },
    });
    expectError(limited, 429, 'RATE_LIMITED');
    expect(await loginStatus('vol@example.com', OLD)).toBe(200);
  });
});
