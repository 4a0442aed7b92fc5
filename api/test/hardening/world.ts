import { randomUUID } from 'node:crypto';
import type { LightMyRequestResponse } from 'fastify';
import type { BuildOptions } from '../../src/app';
import type { Escalation } from '../../src/contract/escalation';
import { caseJson } from '../helpers/case-json';
import { jpeg, login, multipart, register, type Part } from '../helpers/http';
import { createSeededTestApp } from '../helpers/seeded-app';
import type { TestApp } from '../helpers/test-app';

export const DEMO_PASSWORD = 'demo-password-for-tests';
export const SLUGS = ['potato_late_blight', 'potato_early_blight'] as const;

export const ROLES = [
  'anonymous',
  'producer',
  'otherProducer',
  'agronomist',
  'specialist',
  'admin',
] as const;
export type RoleName = (typeof ROLES)[number];

export const EMAILS: Record<Exclude<RoleName, 'anonymous'>, string> = {
  producer: 'producteur@demo.local',
  otherProducer: 'other@example.com',
  agronomist: 'agronome@demo.local',
  specialist: 'specialiste@demo.local',
  admin: 'admin@demo.local',
};
export const OTHER_PASSWORD = 'correct-horse-battery';

/** A real app with a seeded library (2 classes), the demo accounts and one more producer. */
export interface World {
  t: TestApp;
  cookies: Record<RoleName, string | undefined>;
  photo: Buffer;
  /** Creates a case as `role` (default the demo producer) with `n` photos. */
  createCase(role?: RoleName, n?: number, overrides?: Record<string, unknown>): Promise<Escalation>;
  postCase(cookie: string | undefined, parts: Part[]): Promise<LightMyRequestResponse>;
  passwordOf(role: Exclude<RoleName, 'anonymous'>): string;
}

export { caseJson };

export async function createWorld(
  env: Record<string, string> = {},
  options: BuildOptions = {},
): Promise<World> {
  // The per-user case quota would otherwise stop the many cases these suites create.
  const t = await createSeededTestApp({
    slugs: SLUGS,
    demoPassword: DEMO_PASSWORD,
    env: { CASE_RATE_LIMIT_MAX: '1000', ...env },
    options,
  });
  await register(t.app, EMAILS.otherProducer, 'producer', OTHER_PASSWORD);
  const passwordOf = (role: Exclude<RoleName, 'anonymous'>) =>
    role === 'otherProducer' ? OTHER_PASSWORD : DEMO_PASSWORD;
  const cookies: Record<RoleName, string | undefined> = { anonymous: undefined } as Record<
    RoleName,
    string | undefined
  >;
  for (const role of ROLES) {
    if (role !== 'anonymous') cookies[role] = await login(t.app, EMAILS[role], passwordOf(role));
  }
  const photo = await jpeg(400, 300);
  const postCase = async (cookie: string | undefined, parts: Part[]) => {
    const { payload, headers } = await multipart(parts);
    return t.app.inject({
      method: 'POST',
      url: '/api/escalations',
      payload,
      headers: { ...headers, ...(cookie ? { cookie } : {}) },
    });
  };
  return {
    t,
    cookies,
    photo,
    postCase,
    passwordOf,
    async createCase(role = 'producer', n = 1, overrides = {}) {
      const parts: Part[] = [
        ...Array.from({ length: n }, (_, i) => ({
          name: 'photo',
          // Distinct bytes per photo and per case: duplicate-photo guards must not interfere.
          value: Buffer.concat([photo, Buffer.from(randomUUID() + i)]),
          filename: `p${i}.jpg`,
        })),
        { name: 'case', value: caseJson(overrides) },
      ];
      const res = await postCase(cookies[role], parts);
      if (res.statusCode !== 201) throw new Error(`case creation failed: ${res.body}`);
      return res.json() as Escalation;
    },
  };
}
