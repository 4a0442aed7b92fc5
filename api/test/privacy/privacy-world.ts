import { randomUUID } from 'node:crypto';
import { expect } from 'vitest';
import type { LightMyRequestResponse } from 'fastify';
import type { BuildOptions } from '../../src/app';
import type { Escalation } from '../../src/contract/escalation';
import { jpeg, login, multipart, register, type Part } from '../helpers/http';
import { createSeededTestApp } from '../helpers/seeded-app';
import type { TestApp } from '../helpers/test-app';

export const DEMO_PASSWORD = 'demo-password-for-privacy-tests';
export const USER_PASSWORD = 'correct-horse-battery';
export const SLUGS = ['potato_late_blight', 'potato_early_blight', 'tomato_late_blight'] as const;

export type Who = 'producer' | 'other' | 'gardener' | 'far' | 'agronomist' | 'specialist' | 'admin';

/** Registered (non-demo) accounts: email per name. */
export const EXTRA: Record<'other' | 'gardener' | 'far', string> = {
  other: 'other@example.com',
  gardener: 'gardener@example.com',
  far: 'far@example.com',
};

export interface PrivacyWorld {
  t: TestApp;
  as: Record<Who, string>;
  ids: Record<Who, string>;
  call(
    method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE',
    url: string,
    cookie?: string,
    payload?: unknown,
  ): Promise<LightMyRequestResponse>;
  /** A case with `photos` distinct photos (default one). */
  newCase(
    cookie: string,
    overrides?: Record<string, unknown>,
    photos?: number,
  ): Promise<Escalation>;
  answer(id: string, slug: string, cookie?: string): Promise<LightMyRequestResponse>;
  close(): Promise<void>;
}

/** A real app on a real empty database: 3 library classes, the demo accounts and 3 producers. */
export async function createPrivacyWorld(
  env: Record<string, string> = {},
  options: BuildOptions = {},
): Promise<PrivacyWorld> {
  const t = await createSeededTestApp({
    slugs: SLUGS,
    demoPassword: DEMO_PASSWORD,
    env: { CASE_RATE_LIMIT_MAX: '1000', ...env },
    options,
  });
  for (const email of Object.values(EXTRA)) await register(t.app, email);
  const as: Record<Who, string> = {
    producer: await login(t.app, 'producteur@demo.local', DEMO_PASSWORD),
    agronomist: await login(t.app, 'agronome@demo.local', DEMO_PASSWORD),
    specialist: await login(t.app, 'specialiste@demo.local', DEMO_PASSWORD),
    admin: await login(t.app, 'admin@demo.local', DEMO_PASSWORD),
    other: await login(t.app, EXTRA.other, USER_PASSWORD),
    gardener: await login(t.app, EXTRA.gardener, USER_PASSWORD),
    far: await login(t.app, EXTRA.far, USER_PASSWORD),
  };
  const ids = {} as Record<Who, string>;
  for (const [who, cookie] of Object.entries(as) as [Who, string][]) {
    const me = await t.app.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie } });
    ids[who] = (me.json() as { id: string }).id;
  }
  let n = 0;
  const call: PrivacyWorld['call'] = (method, url, cookie, payload) =>
    t.app.inject({
      method,
      url,
      ...(cookie ? { headers: { cookie } } : {}),
      ...(payload === undefined ? {} : { payload: payload as object }),
    });
  return {
    t,
    as,
    ids,
    call,
    async newCase(cookie, overrides = {}, photos = 1) {
      const parts: Part[] = [];
      for (let i = 0; i < photos; i++) {
        n += 1;
        const colour = `#${(0x204060 + n * 0x050301).toString(16).slice(-6)}`;
        parts.push({ name: 'photo', value: await jpeg(200, 150, colour), filename: `p${i}.jpg` });
      }
      parts.push({
        name: 'case',
        value: JSON.stringify({
          clientId: randomUUID(),
          crop: 'Pomme de terre',
          description: 'Taches brunes sur les feuilles',
          prediction: {
            modelVersion: 'v-test',
            abstained: false,
            top: [
              { slug: 'potato_late_blight', p: 0.6 },
              { slug: 'potato_early_blight', p: 0.3 },
            ],
          },
          location: { lat: 46.81, lon: -71.21, accuracyM: 12 },
          regionCode: '03',
          ...overrides,
        }),
      });
      const { payload, headers } = await multipart(parts);
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/escalations',
        payload,
        headers: { ...headers, cookie },
      });
      expect(res.statusCode, res.body).toBe(201);
      return res.json() as Escalation;
    },
    answer: (id, slug, cookie = as.specialist) =>
      call(
        'POST',
        `/api/escalations/${id}/answer`,
        cookie,
        slug === 'other'
          ? { diagnosisSlug: 'other', diagnosisText: 'Carence en magnésium', message: 'Voir.' }
          : { diagnosisSlug: slug, message: 'Confirmé au laboratoire.' },
      ),
    close: () => t.close(),
  };
}
