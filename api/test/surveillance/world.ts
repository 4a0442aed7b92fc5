import { randomUUID } from 'node:crypto';
import { expect } from 'vitest';
import type { Escalation } from '../../src/contract/escalation';
import type { DetectionReport } from '../../src/contract/surveillance';
import { loadConfig } from '../../src/config';
import { weekOf } from '../../src/lib/iso-week';
import { jpeg, login, multipart, register } from '../helpers/http';
import { createSeededTestApp } from '../helpers/seeded-app';
import type { TestApp } from '../helpers/test-app';

const PASSWORD = 'demo-password-for-surveillance';
/** Diseases of two crops, an insect and a healthy class: enough to exercise every filter. */
export const SLUGS = [
  'potato_late_blight',
  'tomato_late_blight',
  'apple_scab',
  'insect_armyworm',
  'potato_healthy',
] as const;

type Who = 'producer' | 'other' | 'agronomist' | 'specialist' | 'admin';

export interface SurveillanceWorld {
  t: TestApp;
  as: Record<Who, string>;
  call(
    method: 'GET' | 'POST' | 'PUT',
    url: string,
    cookie?: string,
    payload?: unknown,
  ): Promise<{
    statusCode: number;
    json(): unknown;
    body: string;
    headers: Record<string, unknown>;
  }>;
  /** A case by `cookie` (fields overridable), answered by the specialist with `slug`. */
  answeredCase(
    cookie: string,
    slug: string,
    overrides?: Record<string, unknown>,
  ): Promise<Escalation>;
  /** Turns the shareDetections consent on for `cookie`. */
  share(cookie: string): Promise<void>;
  close(): Promise<void>;
}

/**
 * This week's Monday as the lab's screens see it: in the lab's time zone (SERVICE_TIMEZONE), where
 * the maps and tables end by default. Not UTC's: from Monday 00:00 UTC, Sunday evening in Quebec,
 * UTC's week is the next one, and every count of « this week » came out empty.
 */
const LAB_TIME_ZONE = loadConfig({}).serviceTimezone;
export const thisWeek = () => weekOf(new Date(), LAB_TIME_ZONE);

export function report(overrides: Partial<DetectionReport> = {}): DetectionReport {
  return {
    clientId: randomUUID(),
    slug: 'potato_late_blight',
    confidence: 0.9,
    abstained: false,
    crop: 'Pomme de terre',
    regionCode: '16',
    mrcCode: null,
    week: thisWeek(),
    modelVersion: 'v-test',
    ...overrides,
  };
}

export async function createSurveillanceWorld(
  env: Record<string, string> = {},
): Promise<SurveillanceWorld> {
  const t = await createSeededTestApp({
    slugs: SLUGS,
    demoPassword: PASSWORD,
    env: { CASE_RATE_LIMIT_MAX: '1000', ...env },
  });
  await register(t.app, 'other@example.com');
  const as = {
    producer: await login(t.app, 'producteur@demo.local', PASSWORD),
    agronomist: await login(t.app, 'agronome@demo.local', PASSWORD),
    specialist: await login(t.app, 'specialiste@demo.local', PASSWORD),
    admin: await login(t.app, 'admin@demo.local', PASSWORD),
    other: await login(t.app, 'other@example.com'),
  };
  const call: SurveillanceWorld['call'] = (method, url, cookie, payload) =>
    t.app.inject({
      method,
      url,
      ...(cookie ? { headers: { cookie } } : {}),
      ...(payload === undefined ? {} : { payload: payload as object }),
    });
  let n = 0;
  return {
    t,
    as,
    call,
    async answeredCase(cookie, slug, overrides = {}) {
      n += 1;
      const photo = await jpeg(64, 48, `#${(0x203040 + n * 0x010305).toString(16).slice(-6)}`);
      const { payload, headers } = await multipart([
        { name: 'photo', value: photo, filename: 'p.jpg' },
        {
          name: 'case',
          value: JSON.stringify({
            clientId: randomUUID(),
            crop: 'Pomme de terre',
            description: 'Taches brunes',
            regionCode: '16',
            ...overrides,
          }),
        },
      ]);
      const created = await t.app.inject({
        method: 'POST',
        url: '/api/escalations',
        payload,
        headers: { ...headers, cookie },
      });
      expect(created.statusCode).toBe(201);
      const id = (created.json() as Escalation).id;
      const answered = await call('POST', `/api/escalations/${id}/answer`, as.specialist, {
        diagnosisSlug: slug,
        message: 'Diagnostic confirmé.',
      });
      expect(answered.statusCode).toBe(200);
      return answered.json() as Escalation;
    },
    async share(cookie) {
      const res = await call('PUT', '/api/privacy/consents', cookie, {
        location: false,
        shareDetections: true,
      });
      expect(res.statusCode).toBe(200);
    },
    close: () => t.close(),
  };
}
