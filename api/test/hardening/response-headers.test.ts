import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { caseJson } from '../helpers/case-json';
import { jpeg, login, multipart, register } from '../helpers/http';
import { createTestApp, type TestApp } from '../helpers/test-app';

describe('response headers for personal data', () => {
  let t: TestApp;
  let cookie: string;
  beforeAll(async () => {
    t = await createTestApp({ TRUST_PROXY: 'true' });
    await register(t.app, 'entetes@example.com');
    cookie = await login(t.app, 'entetes@example.com');
  });
  afterAll(() => t.close());

  it('answers to a signed-in person are kept out of the browser cache, errors included', async () => {
    for (const url of ['/api/auth/me', '/api/escalations?mine=true', '/api/notifications']) {
      const res = await t.app.inject({ url, headers: { cookie } });
      expect(res.statusCode, url).toBe(200);
      expect(res.headers['cache-control'], url).toBe('private, no-store');
    }
    const missing = await t.app.inject({
      url: '/api/escalations/00000000-0000-4000-8000-000000000000',
      headers: { cookie },
    });
    expect(missing.statusCode).toBe(404);
    expect(missing.headers['cache-control']).toBe('private, no-store');
  });

  it('so are the photos of a case (the offline copy is the service worker’s, erased at sign-out)', async () => {
    const { payload, headers } = await multipart([
      { name: 'photo', value: await jpeg(), filename: 'champ.jpg' },
      { name: 'case', value: caseJson({ prediction: undefined }) },
    ]);
    const created = await t.app.inject({
      method: 'POST',
      url: '/api/escalations',
      headers: { ...headers, cookie },
      payload,
    });
    expect(created.statusCode, created.body).toBe(201);
    const photo = (created.json() as { photos: { url: string }[] }).photos[0]!.url;
    const res = await t.app.inject({ url: photo, headers: { cookie } });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('image/jpeg');
    expect(res.headers['cache-control']).toBe('private, no-store');
  });

  it('a route’s own policy stands (public files, public statistics)', async () => {
    const res = await t.app.inject({ url: '/api/public/context-priors', headers: { cookie } });
    expect(res.statusCode).toBe(200);
    expect(res.headers['cache-control']).toMatch(/^public, max-age=\d+$/);
    const anonymous = await t.app.inject({ url: '/api/library' });
    expect(anonymous.headers['cache-control']).toBeUndefined();
  });

  it('only the camera and the location may be asked for, and only by the app itself', async () => {
    for (const url of ['/api/health', '/']) {
      const policy = (await t.app.inject({ url })).headers['permissions-policy'];
      expect(policy, url).toContain('camera=(self)');
      expect(policy, url).toContain('geolocation=(self)');
      expect(policy, url).toContain('microphone=()');
    }
  });

  it('Strict-Transport-Security only on HTTPS (here, as a trusted proxy reports it)', async () => {
    const plain = await t.app.inject({ url: '/api/health' });
    expect(plain.headers['strict-transport-security']).toBeUndefined();
    const secure = await t.app.inject({
      url: '/api/health',
      headers: { 'x-forwarded-proto': 'https' },
    });
    expect(secure.headers['strict-transport-security']).toBe('max-age=31536000; includeSubDomains');
  });
});
