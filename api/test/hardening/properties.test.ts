import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Escalation } from '../../src/contract/escalation';
import { caseJson, createWorld, type World } from './world';

/** JSON that tries the edges: odd keys, NULs, surrogates, deep-ish nesting, huge numbers. */
const nastyString = fc.oneof(
  fc.string(),
  fc.string({ unit: 'grapheme' }),
  fc.string({ unit: 'binary' }),
  fc.constantFrom('\u0000', '\ud800', "' OR 1=1 --", '<script>x</script>', '__proto__', ''),
);
const nastyJson = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    nastyString,
    fc.double(),
    fc.integer(),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(nastyString, tie('value'), { maxKeys: 4 }),
  ),
})).value;

describe('property tests on the JSON inputs', () => {
  let w: World;
  beforeAll(async () => {
    w = await createWorld();
  });
  afterAll(() => w.t.close());

  const postCaseJson = (value: string) =>
    w.postCase(w.cookies.producer, [
      { name: 'photo', value: Buffer.alloc(8), filename: 'x.jpg' },
      { name: 'case', value },
    ]);

  it('arbitrary JSON bodies for register and login never yield a 5xx', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('/api/auth/register', '/api/auth/login'),
        fc.oneof(
          nastyJson,
          fc.record(
            { email: nastyJson, password: nastyJson, profileKind: nastyJson },
            { requiredKeys: [] },
          ),
        ),
        async (url, body) => {
          const res = await w.t.app.inject({
            method: 'POST',
            url,
            headers: { 'content-type': 'application/json' },
            payload: JSON.stringify(body) ?? 'null',
          });
          expect(res.statusCode).toBeLessThan(500);
          if (res.statusCode >= 400) {
            expect((res.json() as { error: { code: string } }).error.code).toMatch(/^[A-Z_]+$/);
          }
        },
      ),
      { numRuns: 150 },
    );
  });

  it('arbitrary JSON in the escalation `case` field never yields a 5xx', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          nastyJson,
          fc.record(
            {
              clientId: fc.oneof(fc.uuid(), nastyJson),
              crop: nastyJson,
              description: nastyJson,
              prediction: nastyJson,
              location: fc.oneof(fc.record({ lat: fc.double(), lon: fc.double() }), nastyJson),
              regionCode: nastyJson,
            },
            { requiredKeys: [] },
          ),
        ),
        async (value) => {
          const res = await postCaseJson(JSON.stringify(value) ?? 'null');
          expect(res.statusCode).toBeLessThan(500);
          expect(res.statusCode).toBeGreaterThanOrEqual(400);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('valid generated cases are stored and returned exactly (round trip)', async () => {
    // A filled text as the contract has it (FilledText): something other than spaces, at most
    // `max` code points (a grapheme can hold several).
    const text = (max: number) =>
      fc
        .string({ unit: 'grapheme', minLength: 1, maxLength: max })
        .filter((s) => !s.includes('\u0000') && /\S/u.test(s) && [...s].length <= max);
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          crop: text(100),
          description: fc
            .string({ unit: 'grapheme', maxLength: 300 })
            .filter((s) => !s.includes('\u0000')),
          location: fc.option(
            fc.record({
              lat: fc.double({ min: -90, max: 90, noNaN: true }),
              lon: fc.double({ min: -180, max: 180, noNaN: true }),
            }),
            { nil: null },
          ),
          regionCode: fc.option(
            fc.integer({ min: 1, max: 17 }).map((n) => String(n).padStart(2, '0')),
            { nil: null },
          ),
          contact: fc.oneof(
            fc.record({ contactPreference: fc.constantFrom('app', 'email') }),
            // A call back comes with a number (PhoneNumber, starting with a digit or +).
            fc.record({
              contactPreference: fc.constant('phone'),
              contactPhone: fc.stringMatching(/^\+?[0-9][0-9 ().-]{6,28}$/),
            }),
          ),
          p: fc.double({ min: 0, max: 1, noNaN: true }),
        }),
        async ({ p, contact, ...fields }) => {
          const input = JSON.parse(
            caseJson({
              ...fields,
              ...contact,
              clientId: randomUUID(),
              prediction: {
                modelVersion: 'v',
                abstained: false,
                top: [{ slug: 'potato_late_blight', p }],
              },
            }),
          ) as Record<string, unknown>;
          const res = await w.postCase(w.cookies.producer, [
            {
              name: 'photo',
              value: Buffer.concat([w.photo, Buffer.from(randomUUID())]),
              filename: 'p.jpg',
            },
            { name: 'case', value: JSON.stringify(input) },
          ]);
          expect(res.statusCode, res.body).toBe(201);
          const created = res.json() as Escalation;
          const read = (
            await w.t.app.inject({
              url: `/api/escalations/${created.id}`,
              headers: { cookie: w.cookies.producer ?? '' },
            })
          ).json() as Escalation;
          for (const e of [created, read]) {
            expect(e).toMatchObject({
              clientId: input.clientId,
              crop: input.crop,
              description: input.description,
              location: input.location,
              regionCode: input.regionCode,
              contactPreference: input.contactPreference,
              contactPhone:
                typeof input.contactPhone === 'string' ? input.contactPhone.trim() : null,
              prediction: input.prediction,
            });
          }
        },
      ),
      // Each run stores a photo: keep it modest on a 2-core machine.
      { numRuns: 25 },
    );
  });
});
