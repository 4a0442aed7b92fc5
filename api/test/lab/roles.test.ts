import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Escalation } from '../../src/contract/escalation';
import { createLabWorld, type LabWorld } from './lab-world';

type Who = 'anonymous' | 'producer' | 'other' | 'agronomist' | 'specialist' | 'admin';

/**
 * Who may call each new route. The owner is `producer`; `other` is another producer (their
 * view of someone else's case is 404, never 403: no existence leak). Each row runs on a fresh
 * case so that allowed calls do not change what the next caller sees.
 */
describe('role checks for every lab route', () => {
  let w: LabWorld;
  beforeAll(async () => {
    w = await createLabWorld({ CASE_RATE_LIMIT_MAX: '1000' });
  });
  afterAll(() => w.close());

  const cookie = (who: Who) => (who === 'anonymous' ? undefined : w.as[who]);

  /** status expected per caller, on a case in `setup` state. */
  const caseRoutes: {
    name: string;
    path: string;
    body?: unknown;
    setup?: 'answered' | 'sample_requested';
    method?: 'GET' | 'POST';
    expected: Record<Who, number>;
  }[] = [
    {
      name: 'claim',
      path: 'claim',
      expected: {
        anonymous: 401,
        producer: 403,
        other: 403,
        agronomist: 403,
        specialist: 200,
        admin: 200,
      },
    },
    {
      name: 'answer',
      path: 'answer',
      body: { diagnosisSlug: 'potato_late_blight', message: 'ok' },
      expected: {
        anonymous: 401,
        producer: 403,
        other: 403,
        agronomist: 403,
        specialist: 200,
        admin: 200,
      },
    },
    {
      name: 'sample-request',
      path: 'sample-request',
      body: { instructions: 'Envoyez un plant.' },
      expected: {
        anonymous: 401,
        producer: 403,
        other: 403,
        agronomist: 403,
        specialist: 200,
        admin: 200,
      },
    },
    {
      name: 'sample-received',
      path: 'sample-received',
      setup: 'sample_requested',
      expected: {
        anonymous: 401,
        producer: 403,
        other: 403,
        agronomist: 403,
        specialist: 200,
        admin: 200,
      },
    },
    {
      name: 'close',
      path: 'close',
      // Staff closing a case never answered must tell the requester why.
      body: { message: 'Doublon.' },
      expected: {
        anonymous: 401,
        producer: 200,
        other: 404,
        agronomist: 404,
        specialist: 200,
        admin: 200,
      },
    },
    {
      name: 'rating',
      path: 'rating',
      body: { score: 5 },
      setup: 'answered',
      expected: {
        anonymous: 401,
        producer: 200,
        other: 404,
        agronomist: 404,
        specialist: 403,
        admin: 403,
      },
    },
    {
      name: 'messages (GET)',
      path: 'messages',
      method: 'GET',
      expected: {
        anonymous: 401,
        producer: 200,
        other: 404,
        agronomist: 404,
        specialist: 200,
        admin: 200,
      },
    },
    {
      name: 'messages (POST)',
      path: 'messages',
      body: { body: 'Bonjour' },
      expected: {
        anonymous: 401,
        producer: 201,
        other: 404,
        agronomist: 404,
        specialist: 201,
        admin: 201,
      },
    },
    {
      name: 'to-bank',
      path: 'to-bank',
      setup: 'answered',
      expected: {
        anonymous: 401,
        producer: 403,
        other: 403,
        agronomist: 403,
        specialist: 200,
        admin: 200,
      },
    },
  ];

  for (const route of caseRoutes) {
    it(`POST/GET /api/escalations/:id/${route.name}`, async () => {
      for (const who of Object.keys(route.expected) as Who[]) {
        const e = await w.newCase(w.as.producer, { consentPhotoReuse: true });
        if (route.setup === 'answered') {
          await w.call('POST', `/api/escalations/${e.id}/answer`, w.as.specialist, {
            diagnosisSlug: 'potato_late_blight',
            message: 'ok',
          });
        }
        if (route.setup === 'sample_requested') {
          await w.call('POST', `/api/escalations/${e.id}/sample-request`, w.as.specialist, {
            instructions: 'x',
          });
        }
        const res = await w.call(
          route.method ?? 'POST',
          `/api/escalations/${e.id}/${route.path}`,
          cookie(who),
          route.body,
        );
        expect(res.statusCode, `${route.name} as ${who}`).toBe(route.expected[who]);
      }
    });
  }

  it('a missing case is 404 for staff too', async () => {
    const res = await w.call('POST', `/api/escalations/${randomUUID()}/claim`, w.as.specialist);
    expect(res.statusCode).toBe(404);
  });

  const plainRoutes: {
    method: 'GET' | 'POST';
    url: string;
    body?: unknown;
    expected: Record<Who, number>;
  }[] = [
    {
      method: 'GET',
      url: '/api/canned-answers',
      expected: {
        anonymous: 401,
        producer: 403,
        other: 403,
        agronomist: 403,
        specialist: 200,
        admin: 200,
      },
    },
    {
      method: 'GET',
      url: '/api/stats/agreement',
      expected: {
        anonymous: 401,
        producer: 403,
        other: 403,
        agronomist: 403,
        specialist: 200,
        admin: 200,
      },
    },
    {
      method: 'GET',
      url: '/api/notifications',
      expected: {
        anonymous: 401,
        producer: 200,
        other: 200,
        agronomist: 200,
        specialist: 200,
        admin: 200,
      },
    },
    {
      method: 'POST',
      url: '/api/notifications/read',
      body: {},
      expected: {
        anonymous: 401,
        producer: 200,
        other: 200,
        agronomist: 200,
        specialist: 200,
        admin: 200,
      },
    },
    {
      method: 'GET',
      url: '/api/bank/submissions',
      expected: {
        anonymous: 401,
        producer: 403,
        other: 403,
        agronomist: 200,
        specialist: 200,
        admin: 200,
      },
    },
    {
      method: 'GET',
      url: '/api/training-requests',
      expected: {
        anonymous: 401,
        producer: 403,
        other: 403,
        agronomist: 403,
        specialist: 200,
        admin: 200,
      },
    },
  ];
  for (const route of plainRoutes) {
    it(`${route.method} ${route.url}`, async () => {
      for (const who of Object.keys(route.expected) as Who[]) {
        const res = await w.call(route.method, route.url, cookie(who), route.body);
        expect(res.statusCode, `${route.url} as ${who}`).toBe(route.expected[who]);
      }
    });
  }

  it('bank submission creation and review', async () => {
    const { multipart } = await import('../helpers/http');
    const post = async (who: Who) => {
      const { payload, headers } = await multipart([
        {
          name: 'meta',
          value: JSON.stringify({
            classSlug: 'potato_late_blight',
            crop: 'Pomme de terre',
            authorCredit: 'X',
            licence: 'CC-BY-4.0',
          }),
        },
        { name: 'photo', value: await w.photo(), filename: 'a.jpg' },
      ]);
      const c = cookie(who);
      return w.t.app.inject({
        method: 'POST',
        url: '/api/bank/submissions',
        payload,
        headers: { ...headers, ...(c ? { cookie: c } : {}) },
      });
    };
    const create: Record<Who, number> = {
      anonymous: 401,
      producer: 403,
      other: 403,
      agronomist: 201,
      specialist: 201,
      admin: 201,
    };
    for (const who of Object.keys(create) as Who[]) {
      expect((await post(who)).statusCode, `submit as ${who}`).toBe(create[who]);
    }
    const review: Record<Who, number> = {
      anonymous: 401,
      producer: 403,
      other: 403,
      agronomist: 403,
      specialist: 200,
      admin: 200,
    };
    for (const who of Object.keys(review) as Who[]) {
      const s = (await post('agronomist')).json() as { id: string };
      const v = await w.call('POST', `/api/bank/submissions/${s.id}/validate`, cookie(who), {});
      expect(v.statusCode, `validate as ${who}`).toBe(review[who]);
      const r = await w.call('POST', `/api/bank/submissions/${s.id}/reject`, cookie(who), {
        reason: 'non',
      });
      expect(r.statusCode, `reject as ${who}`).toBe(review[who]);
    }
  });

  it("another producer never sees someone else's case in the list or by id", async () => {
    const e: Escalation = await w.newCase(w.as.producer);
    const res = await w.call('GET', `/api/escalations/${e.id}`, w.as.other);
    expect(res.statusCode).toBe(404);
  });
});
