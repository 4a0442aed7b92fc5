import { randomUUID } from 'node:crypto';
import type { InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { weekOf } from '../../src/lib/iso-week';
import { jpeg, login, multipart } from '../helpers/http';
import { caseJson, createWorld, EMAILS, type RoleName, type World } from './world';

/**
 * 'pass' = authorisation granted: whatever the business answer, not 401/403/404 and not 5xx.
 * 'gate' = past the role gate (not 401/403, not 5xx) on an id that does not exist: 404 is fine.
 */
type Outcome = 401 | 403 | 404 | 'pass' | 'gate';
type Expect = Record<RoleName, Outcome>;

const PUBLIC: Expect = {
  anonymous: 'pass',
  producer: 'pass',
  otherProducer: 'pass',
  agronomist: 'pass',
  specialist: 'pass',
  admin: 'pass',
};
const SIGNED_IN: Expect = { ...PUBLIC, anonymous: 401 };
const OWNER_OR_STAFF: Expect = {
  anonymous: 401,
  producer: 'pass',
  otherProducer: 404,
  agronomist: 404,
  specialist: 'pass',
  admin: 'pass',
};
const OWNER_OR_STAFF_404: Expect = { ...OWNER_OR_STAFF, anonymous: 404 };
const STAFF: Expect = {
  anonymous: 401,
  producer: 403,
  otherProducer: 403,
  agronomist: 403,
  specialist: 'pass',
  admin: 'pass',
};
const CONTRIBUTORS: Expect = { ...STAFF, agronomist: 'pass' };
const OWNER_ONLY: Expect = { ...OWNER_OR_STAFF, specialist: 403, admin: 403 };
const gate = (e: Expect): Expect =>
  Object.fromEntries(Object.entries(e).map(([k, v]) => [k, v === 'pass' ? 'gate' : v])) as Expect;

interface RouteCase {
  /** As in the OpenAPI document: method and path with {param}. */
  route: string;
  expect: Expect;
  /** Builds the request for one role (a fresh case id per route when needed). */
  request: (ctx: { caseId: string; role: RoleName }) => Promise<InjectOptions> | InjectOptions;
  /** Business refusals that use 401/403 yet mean the role gate was passed (e.g. WRONG_PASSWORD). */
  businessCodes?: string[];
}

describe('access-control matrix over every route × role', () => {
  let w: World;
  let photo: Buffer;

  beforeAll(async () => {
    w = await createWorld();
    photo = await jpeg(200, 150);
  });
  afterAll(() => w.t.close());

  const json = (
    method: InjectOptions['method'],
    url: string,
    payload?: unknown,
  ): InjectOptions => ({
    method,
    url,
    ...(payload === undefined ? {} : { payload: payload as object }),
  });
  const caseUpload = async (): Promise<InjectOptions> => {
    const { payload, headers } = await multipart([
      {
        name: 'photo',
        value: Buffer.concat([photo, Buffer.from(randomUUID())]),
        filename: 'p.jpg',
      },
      { name: 'case', value: caseJson() },
    ]);
    return { method: 'POST', url: '/api/escalations', payload, headers };
  };
  const bankUpload = async (): Promise<InjectOptions> => {
    const { payload, headers } = await multipart([
      { name: 'photo', value: photo, filename: 'p.jpg' },
      { name: 'meta', value: '{}' },
    ]);
    return { method: 'POST', url: '/api/bank/submissions', payload, headers };
  };

  const ROUTES: RouteCase[] = [
    { route: 'GET /api/health', expect: PUBLIC, request: () => json('GET', '/api/health') },
    { route: 'GET /api/library', expect: PUBLIC, request: () => json('GET', '/api/library') },
    {
      route: 'GET /api/library/sync',
      expect: PUBLIC,
      request: () => json('GET', '/api/library/sync?since=0'),
    },
    {
      route: 'GET /api/library/{slug}',
      expect: PUBLIC,
      request: () => json('GET', '/api/library/potato_late_blight'),
    },
    {
      route: 'GET /api/library/{slug}/editable',
      expect: STAFF,
      request: () => json('GET', '/api/library/potato_late_blight/editable'),
    },
    {
      // No edition was replaced in the matrix's world: past the gate, 404.
      route: 'GET /api/library/{slug}/editions/{edition}',
      expect: gate(STAFF),
      request: () => json('GET', '/api/library/potato_late_blight/editions/1'),
    },
    {
      // An incomplete body: staff get a 400, and nothing of the entry changes.
      route: 'PUT /api/library/{slug}',
      expect: STAFF,
      request: () => json('PUT', '/api/library/potato_late_blight', { edition: 1 }),
    },
    {
      route: 'GET /api/model/manifest',
      expect: PUBLIC,
      request: () => json('GET', '/api/model/manifest'),
    },
    {
      route: 'POST /api/auth/register',
      expect: PUBLIC,
      request: () =>
        json('POST', '/api/auth/register', {
          email: `r-${randomUUID()}@example.com`,
          password: 'a-long-unusual-passphrase',
          profileKind: 'producer',
        }),
    },
    {
      route: 'POST /api/auth/login',
      expect: PUBLIC,
      request: ({ role }) =>
        json('POST', '/api/auth/login', {
          email: EMAILS[role === 'anonymous' ? 'producer' : role],
          password: w.passwordOf(role === 'anonymous' ? 'producer' : role),
        }),
    },
    { route: 'GET /api/auth/me', expect: SIGNED_IN, request: () => json('GET', '/api/auth/me') },
    {
      route: 'GET /api/auth/password-reset',
      expect: PUBLIC,
      request: () => json('GET', '/api/auth/password-reset'),
    },
    {
      route: 'POST /api/auth/password-reset',
      expect: PUBLIC,
      request: () => json('POST', '/api/auth/password-reset', { email: 'nobody@example.com' }),
    },
    {
      // A made-up token: nobody's password changes in the matrix.
      route: 'POST /api/auth/password-reset/confirm',
      expect: PUBLIC,
      request: () =>
        json('POST', '/api/auth/password-reset/confirm', {
          token: 'not-a-real-token',
          newPassword: 'a-new-password-0000',
        }),
    },
    {
      route: 'PATCH /api/auth/me',
      expect: SIGNED_IN,
      request: () => json('PATCH', '/api/auth/me', { crops: ['Maïs'] }),
    },
    { route: 'POST /api/escalations', expect: SIGNED_IN, request: caseUpload },
    {
      route: 'GET /api/escalations',
      expect: SIGNED_IN,
      request: () => json('GET', '/api/escalations'),
    },
    {
      route: 'GET /api/escalations/{id}',
      expect: OWNER_OR_STAFF,
      request: ({ caseId }) => json('GET', `/api/escalations/${caseId}`),
    },
    {
      route: 'GET /api/escalations/{id}/photos/{position}',
      expect: OWNER_OR_STAFF_404,
      request: ({ caseId }) => json('GET', `/api/escalations/${caseId}/photos/0`),
    },
    {
      route: 'POST /api/escalations/{id}/answer',
      expect: STAFF,
      request: ({ caseId }) =>
        json('POST', `/api/escalations/${caseId}/answer`, {
          diagnosisSlug: 'potato_late_blight',
          message: 'Mildiou.',
        }),
    },
    {
      route: 'GET /api/escalations/{id}/messages',
      expect: OWNER_OR_STAFF,
      request: ({ caseId }) => json('GET', `/api/escalations/${caseId}/messages`),
    },
    {
      route: 'POST /api/escalations/{id}/messages',
      expect: OWNER_OR_STAFF,
      request: ({ caseId }) =>
        json('POST', `/api/escalations/${caseId}/messages`, { body: 'Bonjour' }),
    },
    {
      route: 'GET /api/escalations/{id}/messages/{messageId}/photos/{position}',
      expect: gate(OWNER_OR_STAFF_404),
      request: ({ caseId }) =>
        json('GET', `/api/escalations/${caseId}/messages/${randomUUID()}/photos/0`),
    },
    {
      route: 'POST /api/escalations/{id}/claim',
      expect: STAFF,
      request: ({ caseId }) => json('POST', `/api/escalations/${caseId}/claim`),
    },
    {
      route: 'POST /api/escalations/{id}/sample-request',
      expect: STAFF,
      request: ({ caseId }) =>
        json('POST', `/api/escalations/${caseId}/sample-request`, {
          instructions: 'Envoyez un plant entier.',
        }),
    },
    {
      route: 'PUT /api/escalations/{id}/requester-kind',
      expect: STAFF,
      request: ({ caseId }) =>
        json('PUT', `/api/escalations/${caseId}/requester-kind`, { profileKind: 'producer' }),
    },
    {
      route: 'POST /api/escalations/{id}/sample-received',
      expect: STAFF,
      request: ({ caseId }) => json('POST', `/api/escalations/${caseId}/sample-received`),
    },
    {
      route: 'POST /api/escalations/{id}/close',
      expect: OWNER_OR_STAFF,
      request: ({ caseId }) => json('POST', `/api/escalations/${caseId}/close`),
    },
    {
      route: 'POST /api/escalations/{id}/rating',
      expect: OWNER_ONLY,
      request: ({ caseId }) => json('POST', `/api/escalations/${caseId}/rating`, { score: 5 }),
    },
    {
      route: 'PUT /api/escalations/{id}/photo-reuse',
      expect: OWNER_ONLY,
      request: ({ caseId }) =>
        json('PUT', `/api/escalations/${caseId}/photo-reuse`, { consent: false }),
    },
    {
      route: 'POST /api/escalations/{id}/to-bank',
      expect: STAFF,
      request: ({ caseId }) => json('POST', `/api/escalations/${caseId}/to-bank`),
    },
    {
      route: 'GET /api/notifications',
      expect: SIGNED_IN,
      request: () => json('GET', '/api/notifications'),
    },
    {
      route: 'POST /api/notifications/read',
      expect: SIGNED_IN,
      request: () => json('POST', '/api/notifications/read', {}),
    },
    {
      route: 'GET /api/canned-answers',
      expect: STAFF,
      request: () => json('GET', '/api/canned-answers'),
    },
    {
      // An incomplete body: staff get a 400, nothing is written.
      route: 'POST /api/canned-answers',
      expect: STAFF,
      request: () => json('POST', '/api/canned-answers', { slug: 'potato_late_blight' }),
    },
    {
      route: 'PUT /api/canned-answers/{id}',
      expect: STAFF,
      request: () => json('PUT', '/api/canned-answers/potato-late-blight', {}),
    },
    {
      // An id that does not exist: past the gate, 404; the seeded answers stay.
      route: 'DELETE /api/canned-answers/{id}',
      expect: gate(STAFF),
      request: () => json('DELETE', '/api/canned-answers/no-such-canned-answer'),
    },
    {
      route: 'GET /api/stats/agreement',
      expect: STAFF,
      request: () => json('GET', '/api/stats/agreement'),
    },
    { route: 'POST /api/bank/submissions', expect: CONTRIBUTORS, request: bankUpload },
    {
      route: 'GET /api/bank/submissions',
      expect: CONTRIBUTORS,
      request: () => json('GET', '/api/bank/submissions'),
    },
    {
      route: 'GET /api/bank/submissions/{id}',
      expect: gate(CONTRIBUTORS),
      request: () => json('GET', `/api/bank/submissions/${randomUUID()}`),
    },
    {
      route: 'POST /api/bank/submissions/{id}/validate',
      expect: gate(STAFF),
      request: () => json('POST', `/api/bank/submissions/${randomUUID()}/validate`, {}),
    },
    {
      route: 'POST /api/bank/submissions/{id}/reject',
      expect: gate(STAFF),
      request: () =>
        json('POST', `/api/bank/submissions/${randomUUID()}/reject`, { reason: 'flou' }),
    },
    {
      route: 'POST /api/bank/submissions/{id}/withdraw',
      expect: gate(STAFF),
      request: () =>
        json('POST', `/api/bank/submissions/${randomUUID()}/withdraw`, { reason: 'mal étiquetée' }),
    },
    {
      route: 'GET /api/bank/images/{id}',
      expect: gate(CONTRIBUTORS),
      request: () => json('GET', `/api/bank/images/${randomUUID()}`),
    },
    {
      route: 'GET /api/training-requests',
      expect: STAFF,
      request: () => json('GET', '/api/training-requests'),
    },
    {
      route: 'GET /api/models',
      expect: STAFF,
      request: () => json('GET', '/api/models'),
    },
    {
      // Admin only; an unknown version is past the gate (404).
      route: 'POST /api/models/{version}/rollback',
      expect: gate({ ...STAFF, specialist: 403 }),
      request: () => json('POST', '/api/models/no-such-version/rollback'),
    },
    // Surveillance (issue 6).
    {
      route: 'GET /api/geo/regions',
      expect: PUBLIC,
      request: () => json('GET', '/api/geo/regions'),
    },
    { route: 'GET /api/geo/mrc', expect: PUBLIC, request: () => json('GET', '/api/geo/mrc') },
    {
      route: 'GET /api/privacy/consents',
      expect: SIGNED_IN,
      request: () => json('GET', '/api/privacy/consents'),
    },
    {
      route: 'PUT /api/privacy/consents',
      expect: SIGNED_IN,
      request: () =>
        json('PUT', '/api/privacy/consents', { location: false, shareDetections: true }),
    },
    {
      // Everyone has consented (else 403 CONSENT_REQUIRED, a business answer, not the gate).
      route: 'POST /api/detections',
      expect: SIGNED_IN,
      request: async () => {
        await w.t.app.db.query('UPDATE users SET consent_share_detections = true');
        return json('POST', '/api/detections', {
          items: [
            {
              clientId: randomUUID(),
              slug: 'potato_late_blight',
              confidence: 0.9,
              abstained: false,
              regionCode: '16',
              week: weekOf(new Date(), 'UTC'),
              modelVersion: 'v-test',
            },
          ],
        });
      },
    },
    ...['map', 'series', 'table', 'table.csv'].map((view): RouteCase => ({
      route: `GET /api/surveillance/${view}`,
      expect: STAFF,
      request: () => json('GET', `/api/surveillance/${view}`),
    })),
    {
      route: 'GET /api/public/detections',
      expect: PUBLIC,
      request: () => json('GET', '/api/public/detections'),
    },
    {
      route: 'GET /api/public/context-priors',
      expect: PUBLIC,
      request: () => json('GET', '/api/public/context-priors'),
    },
    {
      route: 'GET /api/public/privacy-terms',
      expect: PUBLIC,
      request: () => json('GET', '/api/public/privacy-terms'),
    },
    // Indicators, alerts, privacy (issue 6, part 2).
    // The lab's team: roles are an admin's to give.
    {
      route: 'GET /api/users',
      expect: { ...STAFF, specialist: 403 },
      request: () => json('GET', '/api/users'),
    },
    {
      // An unknown account is past the gate (404).
      route: 'PATCH /api/users/{id}/role',
      expect: gate({ ...STAFF, specialist: 403 }),
      request: () => json('PATCH', `/api/users/${randomUUID()}/role`, { role: 'specialist' }),
    },
    {
      // A link into someone's account: admins only; an unknown account is past the gate (404).
      route: 'POST /api/users/{id}/password-reset',
      expect: gate({ ...STAFF, specialist: 403 }),
      request: () => json('POST', `/api/users/${randomUUID()}/password-reset`),
    },
    {
      route: 'GET /api/indicators',
      expect: { ...STAFF, specialist: 403 },
      request: () => json('GET', '/api/indicators'),
    },
    {
      route: 'GET /api/indicators/weeks.csv',
      expect: { ...STAFF, specialist: 403 },
      request: () => json('GET', '/api/indicators/weeks.csv'),
    },
    {
      route: 'GET /api/alerts/subscriptions',
      expect: SIGNED_IN,
      request: () => json('GET', '/api/alerts/subscriptions'),
    },
    {
      route: 'POST /api/alerts/subscriptions',
      expect: SIGNED_IN,
      request: () => json('POST', '/api/alerts/subscriptions', { regionCode: '03' }),
    },
    {
      // Someone else's (here: nobody's) subscription: 404 past the gate.
      route: 'DELETE /api/alerts/subscriptions/{id}',
      expect: gate(SIGNED_IN),
      request: () => json('DELETE', `/api/alerts/subscriptions/${randomUUID()}`),
    },
    {
      route: 'GET /api/privacy/export',
      expect: SIGNED_IN,
      request: () => json('GET', '/api/privacy/export'),
    },
    {
      // A wrong password: nobody's account is deleted by the matrix.
      route: 'POST /api/privacy/delete',
      expect: SIGNED_IN,
      businessCodes: ['WRONG_PASSWORD'],
      request: () => json('POST', '/api/privacy/delete', { password: 'not-the-password' }),
    },
    {
      route: 'GET /api/escalations/{id}/location-access',
      expect: { ...OWNER_OR_STAFF, specialist: 403 },
      request: ({ caseId }) => json('GET', `/api/escalations/${caseId}/location-access`),
    },
    {
      // A wrong current password: nobody's password changes (nor sessions end) in the matrix.
      route: 'POST /api/auth/password',
      expect: SIGNED_IN,
      businessCodes: ['CURRENT_PASSWORD_WRONG'],
      request: () =>
        json('POST', '/api/auth/password', {
          currentPassword: 'not-the-password',
          newPassword: 'a-new-password-0000',
        }),
    },
    // Logout ends the session it is sent with: each role logs in afresh for it. Logout-others
    // is sent with the shared cookie, the one session it keeps.
    {
      route: 'POST /api/auth/logout',
      expect: PUBLIC,
      request: () => json('POST', '/api/auth/logout'),
    },
    {
      route: 'POST /api/auth/logout-others',
      expect: SIGNED_IN,
      request: () => json('POST', '/api/auth/logout-others'),
    },
  ];
  /** Routes outside the OpenAPI document (hidden), checked separately in privacy/system tests. */
  const HIDDEN = ['GET /images/{key}', 'GET /models/{version}/*', 'GET /'];

  it('covers every documented route (a new route must be added to this matrix)', () => {
    const spec = w.t.app.swagger() as { paths: Record<string, Record<string, unknown>> };
    const documented = Object.entries(spec.paths).flatMap(([path, methods]) =>
      Object.keys(methods)
        .filter((m) => ['get', 'post', 'put', 'patch', 'delete'].includes(m))
        .map((m) => `${m.toUpperCase()} ${path}`),
    );
    const covered = new Set(ROUTES.map((r) => r.route));
    expect(documented.filter((r) => !covered.has(r) && !HIDDEN.includes(r))).toEqual([]);
  });

  it('the gate comes before the body: a malformed body from an outsider is a 401 or 403, not a 400', async () => {
    const caseId = (await w.createCase()).id;
    const problems: string[] = [];
    for (const r of ROUTES) {
      const { method, url } = await r.request({ caseId, role: 'anonymous' });
      if (method === 'GET') continue;
      for (const role of ['anonymous', 'otherProducer', 'producer', 'agronomist'] as const) {
        const expected = r.expect[role];
        if (expected !== 401 && expected !== 403) continue;
        const cookie = w.cookies[role];
        const res = await w.t.app.inject({
          method,
          url,
          payload: { bogus: 1 },
          headers: cookie ? { cookie } : {},
        });
        if (res.statusCode !== expected) {
          problems.push(`${r.route} ${role}: expected ${expected}, got ${res.statusCode}`);
        }
      }
    }
    expect(problems).toEqual([]);
  });

  for (const r of ROUTES) {
    it(`${r.route}`, async () => {
      const caseId = (await w.createCase()).id;
      const problems: string[] = [];
      // Roles that may be refused first, so an allowed role's state change comes afterwards.
      const order: RoleName[] = [
        'anonymous',
        'otherProducer',
        'agronomist',
        'producer',
        'specialist',
        'admin',
      ];
      for (const role of order) {
        // Logout ends its session, and login and register end the one they are sent with
        // (session fixation): none may consume the shared cookies of the other rows.
        const cookie =
          r.route === 'POST /api/auth/login' || r.route === 'POST /api/auth/register'
            ? undefined
            : r.route === 'POST /api/auth/logout' && role !== 'anonymous'
              ? await login(w.t.app, EMAILS[role], w.passwordOf(role))
              : w.cookies[role];
        const options = await r.request({ caseId, role });
        const res = await w.t.app.inject({
          ...options,
          headers: { ...(options.headers ?? {}), ...(cookie ? { cookie } : {}) },
        });
        const expected = r.expect[role];
        const code =
          res.statusCode >= 400 ? (res.json() as { error: { code: string } }).error.code : '';
        const passedGate =
          res.statusCode < 500 &&
          (![401, 403].includes(res.statusCode) || (r.businessCodes ?? []).includes(code));
        const ok =
          expected === 'gate'
            ? passedGate
            : expected === 'pass'
              ? passedGate && code !== 'NOT_FOUND'
              : res.statusCode === expected &&
                code === { 401: 'UNAUTHENTICATED', 403: 'FORBIDDEN', 404: 'NOT_FOUND' }[expected];
        if (!ok) problems.push(`${role}: expected ${expected}, got ${res.statusCode} ${code}`);
      }
      expect(problems).toEqual([]);
    });
  }
});
