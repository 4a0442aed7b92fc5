import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectError, login } from '../helpers/http';
import { createWorld, EMAILS, type World } from './world';

describe('sessions, CSRF, login rate limiting and password rules', () => {
  let w: World;
  beforeAll(async () => {
    w = await createWorld({ LOGIN_RATE_LIMIT_MAX: '3' });
  });
  afterAll(() => w.t.close());

  const me = (cookie: string) => w.t.app.inject({ url: '/api/auth/me', headers: { cookie } });
  const sessionOf = (res: { cookies: { name: string; value: string }[] }) =>
    res.cookies.find((c) => c.name === 'phytodiag_session')?.value;

  describe('session fixation and logout', () => {
    it('a session cookie planted before login is not the one issued by login', async () => {
      const planted = 'attacker-chosen-token-value';
      const res = await w.t.app.inject({
        method: 'POST',
        url: '/api/auth/login',
        headers: { cookie: `phytodiag_session=${planted}` },
        payload: { email: EMAILS.admin, password: w.passwordOf('admin') },
      });
      expect(res.statusCode).toBe(200);
      const issued = sessionOf(res);
      expect(issued).toBeDefined();
      expect(issued).not.toBe(planted);
      expectError(await me(`phytodiag_session=${planted}`), 401, 'UNAUTHENTICATED');
      expect((await me(`phytodiag_session=${issued}`)).statusCode).toBe(200);
    });

    it('logging in again ends the session the request came with', async () => {
      const first = await login(w.t.app, EMAILS.agronomist, w.passwordOf('agronomist'));
      const res = await w.t.app.inject({
        method: 'POST',
        url: '/api/auth/login',
        headers: { cookie: first },
        payload: { email: EMAILS.agronomist, password: w.passwordOf('agronomist') },
      });
      const second = sessionOf(res);
      expect(second).toBeDefined();
      expect(`phytodiag_session=${second}`).not.toBe(first);
      expectError(await me(first), 401, 'UNAUTHENTICATED');
      expect((await me(`phytodiag_session=${second}`)).statusCode).toBe(200);
    });

    it('logout invalidates the session server-side (a copied cookie stops working)', async () => {
      const cookie = await login(w.t.app, EMAILS.specialist, w.passwordOf('specialist'));
      expect((await me(cookie)).statusCode).toBe(200);
      const out = await w.t.app.inject({
        method: 'POST',
        url: '/api/auth/logout',
        headers: { cookie },
      });
      expect(out.statusCode).toBe(204);
      // The client would drop the cookie; an attacker who copied it replays it.
      expectError(await me(cookie), 401, 'UNAUTHENTICATED');
      const [, token] = cookie.split('=');
      const rows = await w.t.app.db.query('SELECT 1 FROM sessions WHERE token_hash = $1', [
        (await import('../../src/services/auth-service')).hashToken(token ?? ''),
      ]);
      expect(rows).toHaveLength(0);
    });
  });

  describe('CSRF on cookie-authenticated writes', () => {
    const patch = (headers: Record<string, string>) =>
      w.t.app.inject({
        method: 'PATCH',
        url: '/api/auth/me',
        headers: { cookie: w.cookies.producer ?? '', host: 'phytodiag.example', ...headers },
        payload: { displayName: 'Changed' },
      });

    it('refuses a cross-site Origin with 403 CSRF_REJECTED, localised', async () => {
      const res = await patch({ origin: 'https://evil.example', 'accept-language': 'en' });
      expectError(res, 403, 'CSRF_REJECTED');
      // The producer's own language (fr) wins over the header once signed in... but the check runs
      // before the session is read: the header decides.
      expect((res.json() as { error: { message: string } }).error.message).toMatch(/another site/);
      const fr = await patch({ origin: 'https://evil.example', 'accept-language': 'fr' });
      expect((fr.json() as { error: { message: string } }).error.message).toMatch(/autre site/);
    });
    it('refuses Sec-Fetch-Site cross-site and same-site, and Origin null', async () => {
      expectError(await patch({ 'sec-fetch-site': 'cross-site' }), 403, 'CSRF_REJECTED');
      expectError(await patch({ 'sec-fetch-site': 'same-site' }), 403, 'CSRF_REJECTED');
      expectError(await patch({ origin: 'null' }), 403, 'CSRF_REJECTED');
      expectError(
        await patch({ origin: 'http://phytodiag.example.evil.com' }),
        403,
        'CSRF_REJECTED',
      );
    });
    it('refuses a cross-site login (login CSRF) and a cross-site multipart upload', async () => {
      const res = await w.t.app.inject({
        method: 'POST',
        url: '/api/auth/login',
        headers: { origin: 'https://evil.example' },
        payload: { email: EMAILS.producer, password: w.passwordOf('producer') },
      });
      expectError(res, 403, 'CSRF_REJECTED');
      expect(sessionOf(res)).toBeUndefined();
    });
    it('accepts same-origin browsers and clients without Origin', async () => {
      expect(
        (await patch({ origin: 'http://phytodiag.example', 'sec-fetch-site': 'same-origin' }))
          .statusCode,
      ).toBe(200);
      expect((await patch({})).statusCode).toBe(200);
      expect((await patch({ 'sec-fetch-site': 'none' })).statusCode).toBe(200);
    });
    it('reads are never blocked (GET with a foreign Origin)', async () => {
      const res = await w.t.app.inject({
        url: '/api/library',
        headers: { origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' },
      });
      expect(res.statusCode).toBe(200);
    });
  });

  describe('login rate limiting per IP + email', () => {
    const attempt = (email: string, ip: string, lang = 'fr') =>
      w.t.app.inject({
        method: 'POST',
        url: '/api/auth/login',
        remoteAddress: ip,
        headers: { 'accept-language': lang },
        payload: { email, password: 'definitely-wrong-password' },
      });

    it('the 4th attempt in a minute is 429 RATE_LIMITED with Retry-After and a localised message', async () => {
      for (let i = 0; i < 3; i++) {
        expectError(await attempt('victim@example.com', '10.0.0.1'), 401, 'INVALID_CREDENTIALS');
      }
      const limited = await attempt('victim@example.com', '10.0.0.1', 'en');
      expectError(limited, 429, 'RATE_LIMITED');
      expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
      expect((limited.json() as { error: { message: string } }).error.message).toMatch(/Too many/);
      const fr = await attempt('Victim@Example.com ', '10.0.0.1', 'fr');
      expectError(fr, 429, 'RATE_LIMITED');
      expect((fr.json() as { error: { message: string } }).error.message).toMatch(/Trop de/);
    });
    it('another email from the same IP, or the same email from another IP, is not blocked', async () => {
      expectError(
        await attempt('someone-else@example.com', '10.0.0.1'),
        401,
        'INVALID_CREDENTIALS',
      );
      expectError(await attempt('victim@example.com', '10.0.0.2'), 401, 'INVALID_CREDENTIALS');
    });
  });

  describe('password checks of a signed-in person (account deletion)', () => {
    it('the 4th wrong password in a minute is 429, whatever the address; the account stays', async () => {
      const cookie = await login(w.t.app, EMAILS.otherProducer, w.passwordOf('otherProducer'));
      const attempt = (ip: string) =>
        w.t.app.inject({
          method: 'POST',
          url: '/api/privacy/delete',
          remoteAddress: ip,
          headers: { cookie },
          payload: { password: 'a-wrong-guess-0000' },
        });
      for (let i = 0; i < 3; i++) {
        expectError(await attempt(`10.1.0.${i}`), 403, 'WRONG_PASSWORD');
      }
      expectError(await attempt('10.1.0.9'), 429, 'RATE_LIMITED');
      expect((await me(cookie)).statusCode).toBe(200);
    });
  });

  describe('password rules', () => {
    const registerWith = (email: string, password: string, lang: string) =>
      w.t.app.inject({
        method: 'POST',
        url: '/api/auth/register',
        headers: { 'accept-language': lang },
        payload: { email, password, profileKind: 'producer' },
      });
    const cases: [string, string, string, RegExp, RegExp][] = [
      ['short@example.com', 'court', 'PASSWORD_TOO_SHORT', /au moins 10/, /at least 10/],
      [
        'jeanne.tremblay@ferme.ca',
        'jeanne.tremblay@ferme.ca',
        'PASSWORD_CONTAINS_EMAIL',
        /courriel/,
        /email/,
      ],
      [
        'jeanne.tremblay@ferme.ca',
        'JeanneTremblay2024!',
        'PASSWORD_CONTAINS_EMAIL',
        /courriel/,
        /email/,
      ],
      ['common@example.com', 'motdepasse123', 'PASSWORD_TOO_COMMON', /trop courant/, /too common/],
      ['common@example.com', 'Password-123', 'PASSWORD_TOO_COMMON', /trop courant/, /too common/],
      ['common@example.com', 'aaaaaaaaaaaa', 'PASSWORD_TOO_COMMON', /trop courant/, /too common/],
      ['common@example.com', '1234567890', 'PASSWORD_TOO_COMMON', /trop courant/, /too common/],
    ];
    for (const [email, password, code, fr, en] of cases) {
      it(`${JSON.stringify(password)} → ${code}, in French and English, nothing written`, async () => {
        const before = (await w.t.app.db.one<{ n: number }>('SELECT COUNT(*)::int AS n FROM users'))
          .n;
        const resFr = await registerWith(email, password, 'fr');
        expectError(resFr, 400, code);
        expect((resFr.json() as { error: { message: string } }).error.message).toMatch(fr);
        const resEn = await registerWith(email, password, 'en');
        expect((resEn.json() as { error: { message: string } }).error.message).toMatch(en);
        const after = (await w.t.app.db.one<{ n: number }>('SELECT COUNT(*)::int AS n FROM users'))
          .n;
        expect(after).toBe(before);
      });
    }
    it('a long, personal passphrase is accepted', async () => {
      const res = await registerWith('strong@example.com', 'rang-saint-joseph-bleuets', 'fr');
      expect(res.statusCode).toBe(201);
    });
  });
});
