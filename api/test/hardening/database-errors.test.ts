import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import errorHandler from '../../src/plugins/app/error-handler';
import { createTestApp, type TestApp } from '../helpers/test-app';

// The error handler's safety net: a value that got past the input checks and that the database
// refuses for its type (a year 0000, an integer past 2^31) is the client's 400, not a 500. Real
// errors from the database in use (PGlite, or PostgreSQL with DATABASE_URL), not made-up ones.
describe('values the database refuses for their type', () => {
  let t: TestApp;
  let app: FastifyInstance;

  beforeAll(async () => {
    t = await createTestApp();
    app = Fastify();
    await app.register(errorHandler);
    const probes: Record<string, [string, unknown]> = {
      year0: ['SELECT $1::date AS v', '0000-01-01'],
      feb30: ['SELECT $1::timestamptz AS v', '2026-02-30T00:00:00Z'],
      int: ['SELECT $1::int AS v', 2 ** 31],
      uuid: ['SELECT $1::uuid AS v', 'not-a-uuid'],
      bug: ['SELECT v FROM no_such_table', null],
    };
    for (const [name, [sql, value]] of Object.entries(probes)) {
      app.get(`/${name}`, async () => t.app.db.query(sql, value === null ? [] : [value]));
    }
  });
  afterAll(async () => {
    await app.close();
    await t.close();
  });

  for (const name of ['year0', 'feb30', 'int', 'uuid']) {
    it(`${name}: 400 VALIDATION_ERROR in the request's language`, async () => {
      const res = await app.inject({ url: `/${name}`, headers: { 'accept-language': 'en' } });
      expect(res.statusCode, res.body).toBe(400);
      expect(res.json()).toEqual({
        error: { code: 'VALIDATION_ERROR', message: 'Some of the information sent is not valid.' },
      });
    });
  }

  it('an error of the code itself (a missing table) stays a 500 that says nothing inside', async () => {
    const res = await app.inject({ url: '/bug' });
    expect(res.statusCode).toBe(500);
    const body = res.json() as { error: { code: string; message: string } };
    expect(body.error.code).toBe('INTERNAL');
    expect(body.error.message).not.toMatch(/no_such_table/);
  });
});
