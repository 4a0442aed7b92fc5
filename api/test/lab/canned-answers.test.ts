import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Escalation } from '../../src/contract/escalation';
import type { CannedAnswer, CannedAnswerBody, CannedAnswerList } from '../../src/contract/lab';
import type { TeamMember } from '../../src/contract/user';
import { expectError, login, register } from '../helpers/http';
import { createLabWorld, type LabWorld } from './lab-world';

const onPostgres = Boolean(process.env.DATABASE_URL);

const body = (slug: string, tag: string): CannedAnswerBody => ({
  slug,
  fr: {
    title: `Mildiou de la tomate (${tag})`,
    message: `Les plages brunes et huileuses indiquent le mildiou (${tag}).`,
    recommendations: 'Retirez les plants atteints et aérez la culture.',
  },
  en: {
    title: `Tomato late blight (${tag})`,
    message: `Greasy brown patches indicate late blight (${tag}).`,
    recommendations: 'Remove affected plants and improve air flow.',
  },
});

/** The lab writes its own canned answers and keeps them up to date. */
describe(`canned answers written by the lab (${onPostgres ? 'PostgreSQL' : 'PGlite'})`, () => {
  let w: LabWorld;
  beforeAll(async () => {
    w = await createLabWorld();
  });
  afterAll(async () => w.close());

  const list = async () =>
    ((await w.call('GET', '/api/canned-answers', w.as.specialist)).json() as CannedAnswerList)
      .items;

  it('a specialist adds one: it comes last and answers a case in the requester’s language', async () => {
    const before = await list();
    const res = await w.call(
      'POST',
      '/api/canned-answers',
      w.as.specialist,
      body('tomato_late_blight', 'v1'),
    );
    expect(res.statusCode, res.body).toBe(201);
    const created = res.json() as CannedAnswer;
    expect(created.id).toMatch(/^[0-9a-f-]{36}$/);
    // Who wrote it and when; those that came with the app have no author.
    expect(created.lastEdit).toEqual({ at: expect.any(String), by: 'specialiste@demo.local' });
    expect(before.length).toBeGreaterThan(0);
    expect(before.every((c) => c.lastEdit === null)).toBe(true);
    expect((await list()).map((c) => c.id)).toEqual([...before.map((c) => c.id), created.id]);

    const e = await w.newCase(w.as.producer);
    const answered = await w.call('POST', `/api/escalations/${e.id}/answer`, w.as.specialist, {
      cannedAnswerId: created.id,
    });
    expect(answered.statusCode, answered.body).toBe(200);
    expect((answered.json() as Escalation).answer).toMatchObject({
      diagnosisSlug: 'tomato_late_blight',
      message: created.fr.message,
      cannedAnswerId: created.id,
    });
  });

  it('edits one; an answer already sent keeps its text, even once the canned answer is gone', async () => {
    const [mine] = (await list()).filter((c) => c.fr.title.endsWith('(v1)'));
    if (!mine) throw new Error('the canned answer of the previous test');
    const e = await w.newCase(w.as.producer);
    await w.call('POST', `/api/escalations/${e.id}/answer`, w.as.specialist, {
      cannedAnswerId: mine.id,
    });

    const edited = await w.call(
      'PUT',
      `/api/canned-answers/${mine.id}`,
      w.as.admin,
      body('potato_late_blight', '  v2 '),
    );
    expect(edited.statusCode, edited.body).toBe(200);
    expect(edited.json()).toMatchObject({
      id: mine.id,
      slug: 'potato_late_blight',
      fr: { title: 'Mildiou de la tomate (  v2 )' },
      lastEdit: { by: 'admin@demo.local' },
    });
    expect(Date.parse((edited.json() as CannedAnswer).lastEdit?.at ?? '')).toBeGreaterThanOrEqual(
      Date.parse(mine.lastEdit?.at ?? ''),
    );
    expect((await list()).find((c) => c.id === mine.id)?.slug).toBe('potato_late_blight');

    const gone = await w.call('DELETE', `/api/canned-answers/${mine.id}`, w.as.specialist);
    expect(gone.statusCode, gone.body).toBe(204);
    expect((await list()).some((c) => c.id === mine.id)).toBe(false);
    expectError(
      await w.call('DELETE', `/api/canned-answers/${mine.id}`, w.as.specialist),
      404,
      'UNKNOWN_CANNED_ANSWER',
    );
    const sent = (await w.call('GET', `/api/escalations/${e.id}`, w.as.producer)).json();
    expect((sent as Escalation).answer?.message).toBe(mine.fr.message);
    // A form still holding it is told it went.
    const other = await w.newCase(w.as.producer);
    expectError(
      await w.call('POST', `/api/escalations/${other.id}/answer`, w.as.specialist, {
        cannedAnswerId: mine.id,
      }),
      422,
      'UNKNOWN_CANNED_ANSWER',
    );
  });

  it('refuses bad input with a clear error and stores nothing', async () => {
    const before = await list();
    const good = body('tomato_late_blight', 'x');
    const refusals: [unknown, number, string][] = [
      [{ ...good, slug: 'no_such_class' }, 422, 'UNKNOWN_SLUG'],
      [{ ...good, fr: { ...good.fr, message: '   ' } }, 400, 'VALIDATION_ERROR'],
      [{ ...good, en: { ...good.en, title: 'x'.repeat(121) } }, 400, 'VALIDATION_ERROR'],
      [{ slug: good.slug, fr: good.fr }, 400, 'VALIDATION_ERROR'],
      [{ ...good, position: 1 }, 400, 'VALIDATION_ERROR'],
    ];
    for (const [payload, status, code] of refusals) {
      expectError(
        await w.call('POST', '/api/canned-answers', w.as.specialist, payload),
        status,
        code,
      );
      expectError(
        await w.call('PUT', `/api/canned-answers/${before[0]!.id}`, w.as.specialist, payload),
        status,
        code,
      );
    }
    expectError(
      await w.call('PUT', '/api/canned-answers/nope', w.as.specialist, good),
      404,
      'UNKNOWN_CANNED_ANSWER',
    );
    expect(await list()).toEqual(before);
  });

  it('only the lab writes them', async () => {
    const before = await list();
    for (const cookie of [w.as.agronomist, w.as.producer]) {
      expectError(
        await w.call('POST', '/api/canned-answers', cookie, body('tomato_late_blight', 'z')),
        403,
        'FORBIDDEN',
      );
      expectError(
        await w.call('DELETE', `/api/canned-answers/${before[0]!.id}`, cookie),
        403,
        'FORBIDDEN',
      );
    }
    expect(await list()).toEqual(before);
  });
  it('an author who deletes their account is anonymised; their canned answer stays, unnamed', async () => {
    await register(w.t.app, 'autrice@example.com');
    const found = await w.call('GET', '/api/users?q=autrice', w.as.admin);
    const member = (found.json() as { items: TeamMember[] }).items[0];
    if (!member) throw new Error('the account just registered');
    const role = await w.call('PATCH', `/api/users/${member.id}/role`, w.as.admin, {
      role: 'specialist',
    });
    expect(role.statusCode, role.body).toBe(200);
    const cookie = await login(w.t.app, 'autrice@example.com');
    const res = await w.call(
      'POST',
      '/api/canned-answers',
      cookie,
      body('potato_late_blight', 'a'),
    );
    expect(res.statusCode, res.body).toBe(201);
    const created = res.json() as CannedAnswer;
    expect(created.lastEdit?.by).toBe('autrice@example.com');
    const gone = await w.call('POST', '/api/privacy/delete', cookie, {
      password: 'correct-horse-battery',
    });
    expect(gone.statusCode, gone.body).toBe(204);
    const after = (await list()).find((c) => c.id === created.id);
    expect(after).toMatchObject({
      fr: created.fr,
      lastEdit: { at: created.lastEdit?.at, by: null },
    });
  });
});
