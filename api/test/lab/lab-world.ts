import { randomUUID } from 'node:crypto';
import { expect } from 'vitest';
import type { Escalation } from '../../src/contract/escalation';
import { jpeg, login, multipart, register, type Part } from '../helpers/http';
import { createSeededTestApp } from '../helpers/seeded-app';
import type { TestApp } from '../helpers/test-app';

export const LAB_PASSWORD = 'demo-password-for-lab-tests';
const PASSWORD = LAB_PASSWORD;
export const SLUGS = ['potato_late_blight', 'potato_early_blight', 'tomato_late_blight'] as const;

export interface LabWorld {
  t: TestApp;
  as: Record<'producer' | 'other' | 'gardener' | 'agronomist' | 'specialist' | 'admin', string>;
  /** A JPEG no other call returns (distinct bytes, so never a duplicate by accident). */
  photo(): Promise<Buffer>;
  createCase(
    cookie: string,
    overrides?: Record<string, unknown>,
    photos?: Buffer[],
  ): Promise<{ statusCode: number; json(): unknown }>;
  newCase(cookie: string, overrides?: Record<string, unknown>): Promise<Escalation>;
  call(
    method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE',
    url: string,
    cookie?: string,
    payload?: unknown,
  ): Promise<{
    statusCode: number;
    body: string;
    json(): unknown;
    headers: Record<string, unknown>;
  }>;
  close(): Promise<void>;
}

/** A real app on a real empty database, with 3 library classes and every kind of account. */
export async function createLabWorld(env: Record<string, string> = {}): Promise<LabWorld> {
  const t = await createSeededTestApp({ slugs: SLUGS, demoPassword: PASSWORD, env });
  await register(t.app, 'other@example.com');
  await register(t.app, 'gardener@example.com', 'gardener');
  const as = {
    producer: await login(t.app, 'producteur@demo.local', PASSWORD),
    agronomist: await login(t.app, 'agronome@demo.local', PASSWORD),
    specialist: await login(t.app, 'specialiste@demo.local', PASSWORD),
    admin: await login(t.app, 'admin@demo.local', PASSWORD),
    other: await login(t.app, 'other@example.com'),
    gardener: await login(t.app, 'gardener@example.com'),
  };
  let n = 0;
  const photo = () => {
    n += 1;
    // Distinct colour per call: distinct bytes, distinct sha256.
    return jpeg(320, 240, `#${(0x102030 + n * 0x030507).toString(16).slice(-6)}`);
  };
  const createCase: LabWorld['createCase'] = async (cookie, overrides = {}, photos) => {
    const parts: Part[] = (photos ?? [await photo()]).map((value, i) => ({
      name: 'photo',
      value,
      filename: `p${i}.jpg`,
    }));
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
            { slug: 'tomato_late_blight', p: 0.1 },
          ],
        },
        regionCode: '03',
        ...overrides,
      }),
    });
    const { payload, headers } = await multipart(parts);
    return t.app.inject({
      method: 'POST',
      url: '/api/escalations',
      payload,
      headers: { ...headers, cookie },
    });
  };
  return {
    t,
    as,
    photo,
    createCase,
    async newCase(cookie, overrides) {
      const res = await createCase(cookie, overrides);
      expect(res.statusCode).toBe(201);
      return res.json() as Escalation;
    },
    call: (method, url, cookie, payload) =>
      t.app.inject({
        method,
        url,
        ...(cookie ? { headers: { cookie } } : {}),
        ...(payload === undefined ? {} : { payload: payload as object }),
      }),
    close: () => t.close(),
  };
}
