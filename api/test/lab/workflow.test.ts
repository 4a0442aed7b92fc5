import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Escalation } from '../../src/contract/escalation';
import { DEMO_LAB_SAMPLE_ADDRESS } from '../../src/config';
import type {
  AgreementStats,
  CannedAnswerList,
  EscalationMessage,
  EscalationMessageList,
  NotificationList,
} from '../../src/contract/lab';
import type { EscalationList } from '../../src/contract/escalation';
import { expectError, multipart } from '../helpers/http';
import { createLabWorld, type LabWorld } from './lab-world';

describe('lab workflow: the full loop', () => {
  let w: LabWorld;
  beforeAll(async () => {
    w = await createLabWorld({ CASE_RATE_LIMIT_MAX: '1000' });
  });
  afterAll(() => w.close());

  it('producer → specialist claim → answer → producer sees it, with a notification', async () => {
    const { as, call } = w;
    const e = await w.newCase(as.producer);
    expect(e).toMatchObject({ status: 'received', consentPhotoReuse: false, caseRef: null });
    expect(e.dueAt).not.toBeNull();

    const claimed = (
      await call('POST', `/api/escalations/${e.id}/claim`, as.specialist)
    ).json() as Escalation;
    expect(claimed.status).toBe('in_review');
    expect(claimed.assignee).toMatchObject({ name: 'Spécialiste démo', role: 'specialist' });
    // Claiming again is a no-op for the holder, and names the holder to a colleague.
    expect((await call('POST', `/api/escalations/${e.id}/claim`, as.specialist)).statusCode).toBe(
      200,
    );
    const taken = await call('POST', `/api/escalations/${e.id}/claim`, as.admin);
    expectError(taken, 409, 'CASE_CLAIMED');
    expect((taken.json() as { error: { message: string } }).error.message).toBe(
      'Spécialiste démo a pris ce dossier en charge. Pour le traiter vous-même, reprenez-le d’abord.',
    );

    const before = (
      await call('GET', '/api/notifications', as.producer)
    ).json() as NotificationList;
    const res = await call('POST', `/api/escalations/${e.id}/answer`, as.specialist, {
      diagnosisSlug: 'potato_late_blight',
      message: 'Mildiou confirmé.',
      recommendations: 'Traitez le reste du champ.',
    });
    expect(res.statusCode).toBe(200);

    const seen = (await call('GET', `/api/escalations/${e.id}`, as.producer)).json() as Escalation;
    expect(seen.status).toBe('answered');
    expect(seen.answer).toMatchObject({
      diagnosisSlug: 'potato_late_blight',
      diagnosisText: null,
      message: 'Mildiou confirmé.',
      recommendations: 'Traitez le reste du champ.',
      specialistName: 'Spécialiste démo',
    });
    expect(seen.dueAt).toBeNull();
    expect(seen.overdue).toBe(false);
    expect(seen.history.map((h) => [h.from, h.to, h.by?.role])).toEqual([
      [null, 'received', 'producer'],
      ['received', 'in_review', 'specialist'],
      ['in_review', 'answered', 'specialist'],
    ]);

    const after = (await call('GET', '/api/notifications', as.producer)).json() as NotificationList;
    expect(after.unread).toBe(before.unread + 1);
    expect(after.items[0]).toMatchObject({ kind: 'answer', escalationId: e.id, readAt: null });
    // The specialist got nothing: notifications are the producer's.
    expect(
      ((await call('GET', '/api/notifications', as.specialist)).json() as NotificationList).unread,
    ).toBe(0);

    // Another user cannot mark them read; the owner can.
    await call('POST', '/api/notifications/read', as.other, { escalationId: e.id });
    expect(
      ((await call('GET', '/api/notifications', as.producer)).json() as NotificationList).unread,
    ).toBe(after.unread);
    const read = (
      await call('POST', '/api/notifications/read', as.producer, { escalationId: e.id })
    ).json() as NotificationList;
    expect(read.unread).toBe(after.unread - 1);
    expect(read.items.find((n) => n.escalationId === e.id)?.readAt).not.toBeNull();

    // Answered cannot be answered again, nor go back to review.
    expectError(
      await call('POST', `/api/escalations/${e.id}/answer`, as.specialist, {
        diagnosisSlug: 'potato_early_blight',
        message: 'x',
      }),
      409,
      'INVALID_STATUS_TRANSITION',
    );

    // Rating: owner only, once, then the case closes.
    expectError(
      await call('POST', `/api/escalations/${e.id}/rating`, as.specialist, { score: 5 }),
      403,
      'FORBIDDEN',
    );
    expectError(
      await call('POST', `/api/escalations/${e.id}/rating`, as.producer, { score: 6 }),
      400,
      'VALIDATION_ERROR',
    );
    const rated = (
      await call('POST', `/api/escalations/${e.id}/rating`, as.producer, {
        score: 4,
        comment: 'Rapide et clair',
      })
    ).json() as Escalation;
    expect(rated.rating).toMatchObject({ score: 4, comment: 'Rapide et clair' });
    expectError(
      await call('POST', `/api/escalations/${e.id}/rating`, as.producer, { score: 1 }),
      409,
      'ALREADY_RATED',
    );
    const closed = (
      await call('POST', `/api/escalations/${e.id}/close`, as.producer)
    ).json() as Escalation;
    expect(closed.status).toBe('closed');
    expect(closed.history.at(-1)).toMatchObject({ from: 'answered', to: 'closed' });
    expectError(
      await call('POST', `/api/escalations/${e.id}/close`, as.specialist),
      409,
      'INVALID_STATUS_TRANSITION',
    );
  });

  it('a colleague may not answer or ask for a sample on a claimed case unawares; taking it over moves the claim', async () => {
    const { as, call } = w;
    const e = await w.newCase(as.producer);
    await call('POST', `/api/escalations/${e.id}/claim`, as.specialist);
    const answer = { diagnosisSlug: 'potato_late_blight', message: 'Mildiou.' };
    expectError(
      await call('POST', `/api/escalations/${e.id}/answer`, as.admin, answer),
      409,
      'CASE_CLAIMED',
    );
    expectError(
      await call('POST', `/api/escalations/${e.id}/sample-request`, as.admin, {
        instructions: 'Envoyez un plant.',
      }),
      409,
      'CASE_CLAIMED',
    );
    // Nothing changed: still in review, still the specialist's.
    let now = (await call('GET', `/api/escalations/${e.id}`, as.admin)).json() as Escalation;
    expect(now).toMatchObject({ status: 'in_review', assignee: { name: 'Spécialiste démo' } });
    // Taking over is explicit, moves the claim and leaves the status alone.
    const over = await call('POST', `/api/escalations/${e.id}/claim?takeOver=true`, as.admin);
    expect(over.statusCode, over.body).toBe(200);
    expect(over.json()).toMatchObject({ status: 'in_review', assignee: { name: 'Admin démo' } });
    // Now the first specialist is the one told.
    expectError(
      await call('POST', `/api/escalations/${e.id}/answer`, as.specialist, answer),
      409,
      'CASE_CLAIMED',
    );
    const answered = await call(
      'POST',
      `/api/escalations/${e.id}/answer?takeOver=true`,
      as.specialist,
      answer,
    );
    expect(answered.statusCode, answered.body).toBe(200);
    now = answered.json() as Escalation;
    expect(now).toMatchObject({ status: 'answered', assignee: { name: 'Spécialiste démo' } });
    // The case moved on: a late answer is told what it is now, in words.
    const late = await call(
      'POST',
      `/api/escalations/${e.id}/answer?takeOver=true`,
      as.admin,
      answer,
    );
    expectError(late, 409, 'INVALID_STATUS_TRANSITION');
    expect((late.json() as { error: { message: string } }).error.message).toBe(
      'Ce dossier a changé entre-temps\u00a0: il est maintenant «\u00a0Répondue\u00a0».',
    );
    // A closed case takes no more messages, and says so.
    await call('POST', `/api/escalations/${e.id}/close`, as.producer);
    expectError(
      await call('POST', `/api/escalations/${e.id}/messages`, as.specialist, { body: 'Encore?' }),
      409,
      'CASE_CLOSED',
    );
  });

  it("a requester's reply after the answer puts the case back at the top of the queue until the lab acts", async () => {
    const { as, call } = w;
    const queueIds = async () =>
      ((await call('GET', '/api/escalations?limit=200', as.specialist)).json() as EscalationList)
        .items;
    const e = await w.newCase(as.producer);
    const answered = await call('POST', `/api/escalations/${e.id}/answer`, as.specialist, {
      diagnosisSlug: 'potato_late_blight',
      message: 'Mildiou.',
    });
    expect(answered.json()).toMatchObject({ status: 'answered', replyWaitingSince: null });
    // A newer case still owed a response: ahead of an answered one.
    const fresh = await w.newCase(as.other);
    let items = await queueIds();
    expect(items.findIndex((c) => c.id === fresh.id)).toBeLessThan(
      items.findIndex((c) => c.id === e.id),
    );
    // The lab's own message does not mark anything.
    await call('POST', `/api/escalations/${e.id}/messages`, as.specialist, {
      body: 'Des nouvelles?',
    });
    expect(items.find((c) => c.id === e.id)?.replyWaitingSince).toBeNull();
    // The producer writes back: the case waits for the lab, among the cases owed first.
    const reply = await call('POST', `/api/escalations/${e.id}/messages`, as.producer, {
      body: 'Le traitement n’a pas marché.',
    });
    expect(reply.statusCode, reply.body).toBe(201);
    items = await queueIds();
    const waiting = items.find((c) => c.id === e.id);
    expect(waiting?.replyWaitingSince).toEqual(expect.any(String));
    expect(items.findIndex((c) => c.id === e.id)).toBeLessThan(
      items.findIndex((c) => c.id === fresh.id),
    );
    // A second message keeps the first time it started waiting.
    await call('POST', `/api/escalations/${e.id}/messages`, as.producer, {
      body: 'Et ça s’étend.',
    });
    const still = (
      await call('GET', `/api/escalations/${e.id}`, as.specialist)
    ).json() as Escalation;
    expect(still.replyWaitingSince).toBe(waiting?.replyWaitingSince);
    // The lab answers in the thread: nothing waits any more, the case goes back down.
    await call('POST', `/api/escalations/${e.id}/messages`, as.specialist, {
      body: 'Envoyez un plant.',
    });
    items = await queueIds();
    expect(items.find((c) => c.id === e.id)?.replyWaitingSince).toBeNull();
    expect(items.findIndex((c) => c.id === fresh.id)).toBeLessThan(
      items.findIndex((c) => c.id === e.id),
    );
  });

  it('the requester writing on an answered case the lab closed reopens it, within 30 days', async () => {
    const { as, call } = w;
    const e = await w.newCase(as.producer);
    await call('POST', `/api/escalations/${e.id}/answer`, as.specialist, {
      diagnosisSlug: 'potato_late_blight',
      message: 'Mildiou.',
    });
    const closed = await call('POST', `/api/escalations/${e.id}/close`, as.specialist);
    expect(closed.json()).toMatchObject({ status: 'closed' });
    // The lab itself no longer writes on it; someone else's case is not theirs to reopen.
    expectError(
      await call('POST', `/api/escalations/${e.id}/messages`, as.specialist, { body: 'Et?' }),
      409,
      'CASE_CLOSED',
    );
    expectError(
      await call('POST', `/api/escalations/${e.id}/messages`, as.other, { body: 'Moi aussi.' }),
      404,
      'NOT_FOUND',
    );
    // A blank message reopens nothing.
    expectError(
      await call('POST', `/api/escalations/${e.id}/messages`, as.producer, { body: '  ' }),
      400,
      'MESSAGE_REQUIRED',
    );
    expect(
      ((await call('GET', `/api/escalations/${e.id}`, as.producer)).json() as Escalation).status,
    ).toBe('closed');

    const reply = await call('POST', `/api/escalations/${e.id}/messages`, as.producer, {
      body: 'Le traitement n’a pas marché : ça revient.',
    });
    expect(reply.statusCode, reply.body).toBe(201);
    const reopened = (
      await call('GET', `/api/escalations/${e.id}`, as.specialist)
    ).json() as Escalation;
    // Back where it was, the answer kept, at the top of the lab's queue.
    expect(reopened).toMatchObject({ status: 'answered', answer: { message: 'Mildiou.' } });
    expect(reopened.replyWaitingSince).toEqual(expect.any(String));
    expect(reopened.history.slice(-2).map((h) => [h.from, h.to])).toEqual([
      ['answered', 'closed'],
      ['closed', 'answered'],
    ]);
    expect(reopened.history.at(-1)?.by?.role).toBe('producer');
    const fresh = await w.newCase(as.other);
    const queue = (
      (await call('GET', '/api/escalations?limit=200', as.specialist)).json() as EscalationList
    ).items.map((c) => c.id);
    expect(queue.indexOf(e.id)).toBeLessThan(queue.indexOf(fresh.id));
    // The lab can close it again, and the thread stays one.
    await call('POST', `/api/escalations/${e.id}/messages`, as.specialist, { body: 'Voyons.' });
    await call('POST', `/api/escalations/${e.id}/close`, as.specialist);
    const thread = (
      await call('GET', `/api/escalations/${e.id}/messages`, as.producer)
    ).json() as EscalationMessageList;
    expect(thread.items.map((m) => m.body)).toEqual([
      'Le traitement n’a pas marché : ça revient.',
      'Voyons.',
    ]);

    // More than 30 days after the closing: a new request, said so in the requester's language.
    await w.t.app.db.query(
      `UPDATE escalation_status_history SET at = at - interval '31 days'
        WHERE escalation_id = $1 AND to_status = 'closed'`,
      [e.id],
    );
    const late = await call('POST', `/api/escalations/${e.id}/messages`, as.producer, {
      body: 'Encore.',
    });
    expectError(late, 409, 'CASE_CLOSED_TOO_LONG');
    expect((late.json() as { error: { message: string } }).error.message).toBe(
      'Cette demande est fermée depuis plus de 30 jours\u00a0: envoyez plutôt une nouvelle demande.',
    );
    expect(
      ((await call('GET', `/api/escalations/${e.id}`, as.producer)).json() as Escalation).status,
    ).toBe('closed');

    // Withdrawn before any response: nothing to follow up, a new request.
    const withdrawn = await w.newCase(as.producer);
    await call('POST', `/api/escalations/${withdrawn.id}/close`, as.producer);
    expectError(
      await call('POST', `/api/escalations/${withdrawn.id}/messages`, as.producer, {
        body: 'Finalement oui.',
      }),
      409,
      'CASE_CLOSED_UNANSWERED',
    );
    const after = (
      await call('GET', `/api/escalations/${withdrawn.id}/messages`, as.producer)
    ).json() as EscalationMessageList;
    expect(after.items).toEqual([]);
  });

  it('the lab never closes an unanswered request in silence; the owner may withdraw theirs', async () => {
    const { as, call } = w;
    const e = await w.newCase(as.producer);
    expectError(
      await call('POST', `/api/escalations/${e.id}/close`, as.specialist),
      400,
      'CLOSE_MESSAGE_REQUIRED',
    );
    expectError(
      await call('POST', `/api/escalations/${e.id}/close`, as.specialist, { message: '   ' }),
      400,
      'VALIDATION_ERROR',
    );
    expect(
      ((await call('GET', `/api/escalations/${e.id}`, as.producer)).json() as Escalation).status,
    ).toBe('received');
    const unread = async () =>
      ((await call('GET', '/api/notifications', as.producer)).json() as NotificationList).unread;
    const before = await unread();
    const closed = await call('POST', `/api/escalations/${e.id}/close`, as.specialist, {
      message: 'Doublon de votre demande du 3 : nous y répondons là.',
    });
    expect(closed.statusCode, closed.body).toBe(200);
    expect(closed.json()).toMatchObject({ status: 'closed' });
    const thread = (
      await call('GET', `/api/escalations/${e.id}/messages`, as.producer)
    ).json() as EscalationMessageList;
    expect(thread.items.map((m) => [m.fromOwner, m.body])).toEqual([
      [false, 'Doublon de votre demande du 3 : nous y répondons là.'],
    ]);
    expect(await unread()).toBe(before + 1);
    // The owner withdrawing their own request says nothing to anyone.
    const mine = await w.newCase(as.producer);
    expect((await call('POST', `/api/escalations/${mine.id}/close`, as.producer)).statusCode).toBe(
      200,
    );
    // An answered case is closed by the lab without a further word.
    const done = await w.newCase(as.producer);
    await call('POST', `/api/escalations/${done.id}/answer`, as.specialist, {
      diagnosisSlug: 'potato_late_blight',
      message: 'Mildiou.',
    });
    expect(
      (await call('POST', `/api/escalations/${done.id}/close`, as.specialist)).statusCode,
    ).toBe(200);
  });

  it('a row sent for its author under someone else’s session is refused, and lands nowhere', async () => {
    const e = await w.newCase(w.as.producer);
    const me = (await w.call('GET', '/api/auth/me', w.as.producer)).json() as { id: string };
    const post = (cookie: string, author: string, body: string) =>
      w.t.app.inject({
        method: 'POST',
        url: `/api/escalations/${e.id}/messages`,
        headers: { cookie, 'x-phytodiag-account': author },
        payload: { body },
      });
    // The producer's queue still sending after a colleague signed in on the shared tablet.
    const other = (await w.call('GET', '/api/auth/me', w.as.other)).json() as { id: string };
    const res = await post(w.as.other, me.id, 'Écrit par la productrice.');
    expectError(res, 401, 'SIGNED_IN_AS_ANOTHER');
    // Even staff, who may write on the case, do not speak for its owner.
    expectError(await post(w.as.specialist, me.id, 'Non plus.'), 401, 'SIGNED_IN_AS_ANOTHER');
    const thread = async () =>
      (
        (
          await w.call('GET', `/api/escalations/${e.id}/messages`, w.as.producer)
        ).json() as EscalationMessageList
      ).items.map((m) => m.body);
    expect(await thread()).toEqual([]);
    // The author's own session, the same header: it goes. The header of the signed-in account
    // changes nothing.
    expect((await post(w.as.producer, me.id, 'Écrit par la productrice.')).statusCode).toBe(201);
    expect(other.id).not.toBe(me.id);
    expect(await thread()).toEqual(['Écrit par la productrice.']);
  });

  it('rating before an answer is refused', async () => {
    const e = await w.newCase(w.as.producer);
    expectError(
      await w.call('POST', `/api/escalations/${e.id}/rating`, w.as.producer, { score: 3 }),
      409,
      'NOT_ANSWERED_YET',
    );
  });

  it('sample request flow: reference, instructions, reception, answer', async () => {
    const { as, call } = w;
    const e = await w.newCase(as.producer);
    expect(e.sampleAddress).toBeNull();
    expectError(
      await call('POST', `/api/escalations/${e.id}/sample-received`, as.specialist),
      409,
      'INVALID_STATUS_TRANSITION',
    );
    const requested = (
      await call('POST', `/api/escalations/${e.id}/sample-request`, as.specialist, {
        instructions: 'Envoyez 3 plants entiers dans un sac de papier.',
      })
    ).json() as Escalation;
    expect(requested.status).toBe('sample_requested');
    expect(requested.caseRef).toMatch(new RegExp(`^PD-${new Date().getFullYear()}-\\d{6}$`));
    expect(requested.sampleInstructions).toContain('sac de papier');
    // Nothing is owed while the lab waits for the sample.
    expect(requested.dueAt).toBeNull();
    const owner = (await call('GET', `/api/escalations/${e.id}`, as.producer)).json() as Escalation;
    expect(owner.caseRef).toBe(requested.caseRef);
    // Where to send it comes with the request (the demo address: no LAB_SAMPLE_ADDRESS here).
    expect(owner.sampleAddress).toBe(DEMO_LAB_SAMPLE_ADDRESS);
    expect(requested.sampleAddress).toBe(DEMO_LAB_SAMPLE_ADDRESS);
    const notes = (await call('GET', '/api/notifications', as.producer)).json() as NotificationList;
    expect(notes.items.some((n) => n.kind === 'sample_request' && n.escalationId === e.id)).toBe(
      true,
    );

    const received = (
      await call('POST', `/api/escalations/${e.id}/sample-received`, as.admin)
    ).json() as Escalation;
    expect(received.status).toBe('sample_received');
    expect(received.sampleAddress).toBeNull();
    expect(received.dueAt).not.toBeNull();
    const answered = (
      await call('POST', `/api/escalations/${e.id}/answer`, as.specialist, {
        diagnosisSlug: 'other',
        diagnosisText: 'Carence en magnésium',
        message: "Ce n'est pas une maladie : carence nutritive.",
      })
    ).json() as Escalation;
    expect(answered.answer).toMatchObject({
      diagnosisSlug: 'other',
      diagnosisText: 'Carence en magnésium',
    });
    expect(answered.history.map((h) => h.to)).toEqual([
      'received',
      'sample_requested',
      'sample_received',
      'answered',
    ]);
    // Two cases never share a reference.
    const e2 = await w.newCase(as.producer);
    const r2 = (
      await call('POST', `/api/escalations/${e2.id}/sample-request`, as.specialist, {
        instructions: 'Un plant.',
      })
    ).json() as Escalation;
    expect(r2.caseRef).not.toBe(requested.caseRef);

    // A bag arrives: its reference finds the case, typed as it comes (lower case, spaces).
    const find = async (ref: string) =>
      (
        (
          await call('GET', `/api/escalations?ref=${encodeURIComponent(ref)}`, as.specialist)
        ).json() as EscalationList
      ).items.map((c) => c.id);
    expect(await find(r2.caseRef!)).toEqual([e2.id]);
    expect(await find(r2.caseRef!.toLowerCase().replace(/-/g, ' '))).toEqual([e2.id]);
    expect(await find(`PD-${new Date().getFullYear()}`)).toEqual(
      expect.arrayContaining([e.id, e2.id]),
    );
    expect(await find('PD-1999')).toEqual([]);
    expectError(
      await call('GET', '/api/escalations?ref=PD%25', as.specialist),
      400,
      'VALIDATION_ERROR',
    );
  });

  it("'other' needs a free-text diagnosis; unknown slugs and canned answers are refused", async () => {
    const e = await w.newCase(w.as.producer);
    const url = `/api/escalations/${e.id}/answer`;
    expectError(
      await w.call('POST', url, w.as.specialist, { diagnosisSlug: 'other', message: 'x' }),
      400,
      'DIAGNOSIS_REQUIRED',
    );
    expectError(
      await w.call('POST', url, w.as.specialist, { message: 'x' }),
      400,
      'DIAGNOSIS_REQUIRED',
    );
    expectError(
      await w.call('POST', url, w.as.specialist, { cannedAnswerId: 'nope' }),
      422,
      'UNKNOWN_CANNED_ANSWER',
    );
    const after = (
      await w.call('GET', `/api/escalations/${e.id}`, w.as.producer)
    ).json() as Escalation;
    expect(after.status).toBe('received');
  });

  it('canned answers: seeded in fr/en for library classes, used in the owner language', async () => {
    const list = (
      await w.call('GET', '/api/canned-answers', w.as.specialist)
    ).json() as CannedAnswerList;
    // Only those whose class is in this library (3 seeded classes, 3 canned answers match).
    expect(list.items.map((c) => c.slug).sort()).toEqual([
      'potato_early_blight',
      'potato_late_blight',
      'tomato_late_blight',
    ]);
    const canned = list.items.find((c) => c.slug === 'potato_early_blight');
    if (!canned) throw new Error('missing canned answer');
    expect(canned.fr.message).not.toBe(canned.en.message);

    // The "other" producer writes in English.
    const patch = await w.t.app.inject({
      method: 'PATCH',
      url: '/api/auth/me',
      headers: { cookie: w.as.other },
      payload: { language: 'en' },
    });
    expect(patch.statusCode).toBe(200);
    const e = await w.newCase(w.as.other);
    // The specialist sees in which language to answer (a French producer's case says French).
    expect(e.requesterLanguage).toBe('en');
    const seen = await w.call('GET', `/api/escalations/${e.id}`, w.as.specialist);
    expect((seen.json() as Escalation).requesterLanguage).toBe('en');
    expect((await w.newCase(w.as.producer)).requesterLanguage).toBe('fr');
    const answered = (
      await w.call('POST', `/api/escalations/${e.id}/answer`, w.as.specialist, {
        cannedAnswerId: canned.id,
      })
    ).json() as Escalation;
    expect(answered.answer).toMatchObject({
      diagnosisSlug: 'potato_early_blight',
      message: canned.en.message,
      recommendations: canned.en.recommendations,
      cannedAnswerId: canned.id,
    });
  });

  it('message thread both ways, with producer photos stored without metadata', async () => {
    const { as, call } = w;
    const e = await w.newCase(as.producer);
    const url = `/api/escalations/${e.id}/messages`;
    const q = await call('POST', url, as.specialist, { body: 'Les taches sont-elles humides ?' });
    expect(q.statusCode).toBe(201);
    expect(q.json()).toMatchObject({ fromOwner: false, author: { role: 'specialist' } });

    const withGps = await sharp(await w.photo())
      .withExif({ IFD0: { Make: 'PhoneCo' } })
      .jpeg()
      .toBuffer();
    const { payload, headers } = await multipart([
      { name: 'body', value: 'Oui, surtout le matin. Photo du dessous :' },
      { name: 'photo', value: withGps, filename: 'dessous.jpg' },
    ]);
    const a = await w.t.app.inject({
      method: 'POST',
      url,
      payload,
      headers: { ...headers, cookie: as.producer },
    });
    expect(a.statusCode).toBe(201);
    const answer = a.json() as EscalationMessage;
    expect(answer).toMatchObject({ fromOwner: true, photos: [{ width: 320, height: 240 }] });

    const thread = (await call('GET', url, as.producer)).json() as EscalationMessageList;
    expect(thread.items.map((m) => m.fromOwner)).toEqual([false, true]);
    const staffView = (await call('GET', url, as.admin)).json() as EscalationMessageList;
    expect(staffView.items).toHaveLength(2);

    // The photo: owner and staff only, EXIF gone; strangers and anonymous get 404.
    const photoUrl = answer.photos[0]?.url ?? '';
    const img = await call('GET', photoUrl, as.specialist);
    expect(img.statusCode).toBe(200);
    expect(
      (await sharp((img as unknown as { rawPayload: Buffer }).rawPayload).metadata()).exif,
    ).toBeUndefined();
    expect((await call('GET', `${photoUrl}?size=thumb`, as.producer)).statusCode).toBe(200);
    expectError(await call('GET', photoUrl, as.other), 404, 'NOT_FOUND');
    expectError(await call('GET', photoUrl), 404, 'NOT_FOUND');

    // The producer is notified of the lab's message only (not of their own).
    const notes = (await call('GET', '/api/notifications', as.producer)).json() as NotificationList;
    expect(notes.items.filter((n) => n.escalationId === e.id).map((n) => n.kind)).toEqual([
      'message',
    ]);
    expectError(await call('POST', url, as.producer, { body: '' }), 400, 'MESSAGE_REQUIRED');
    expectError(await call('GET', url, as.other), 404, 'NOT_FOUND');
    expectError(await call('POST', url, as.other, { body: 'hi' }), 404, 'NOT_FOUND');
  });

  it('a message resent with its clientId is written once, whatever comes back', async () => {
    const { as, call } = w;
    const e = await w.newCase(as.producer);
    const url = `/api/escalations/${e.id}/messages`;
    const thread = async () =>
      ((await call('GET', url, as.producer)).json() as EscalationMessageList).items;
    const clientId = crypto.randomUUID();
    const first = await call('POST', url, as.producer, { body: 'Écrit hors réseau.', clientId });
    expect(first.statusCode).toBe(201);
    // The answer was lost on the way back: the outbox sends again, and gets the same message.
    const again = await call('POST', url, as.producer, { body: 'Écrit hors réseau.', clientId });
    expect(again.statusCode).toBe(200);
    expect(again.json()).toEqual(first.json());
    expect((await thread()).map((m) => m.body)).toEqual(['Écrit hors réseau.']);

    // Multipart, with a photo: the clientId is a field of its own; a resend stores nothing more.
    const photoId = crypto.randomUUID();
    const form = async () =>
      multipart([
        { name: 'clientId', value: photoId },
        { name: 'body', value: 'Et la photo.' },
        { name: 'photo', value: await w.photo(), filename: 'p.jpg' },
      ]);
    const post = async () => {
      const { payload, headers } = await form();
      return w.t.app.inject({
        method: 'POST',
        url,
        payload,
        headers: { ...headers, cookie: as.producer },
      });
    };
    // Two copies at once (the page and the service worker): one message, both told so.
    const [a, b] = await Promise.all([post(), post()]);
    expect([a.statusCode, b.statusCode].sort()).toEqual([200, 201]);
    expect(a.json()).toEqual(b.json());
    expect((a.json() as EscalationMessage).photos).toHaveLength(1);
    expect((await thread()).map((m) => m.body)).toEqual(['Écrit hors réseau.', 'Et la photo.']);
    const [count] = await w.t.app.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM escalation_message_photos p
         JOIN escalation_messages m ON m.id = p.message_id WHERE m.escalation_id = $1`,
      [e.id],
    );
    expect(count?.n).toBe(1);

    // Its resend after the lab closed the case is still that message: nothing reopens.
    await call('POST', `/api/escalations/${e.id}/answer`, as.specialist, {
      diagnosisSlug: 'potato_late_blight',
      message: 'Mildiou.',
    });
    await call('POST', `/api/escalations/${e.id}/close`, as.specialist);
    expect((await call('POST', url, as.producer, { body: 'x', clientId })).statusCode).toBe(200);
    const after = (await call('GET', `/api/escalations/${e.id}`, as.producer)).json() as Escalation;
    expect(after.status).toBe('closed');

    // The same id on another case is refused, in the user's language; someone else's is theirs.
    const other = await w.newCase(as.producer);
    const reused = await call('POST', `/api/escalations/${other.id}/messages`, as.producer, {
      body: 'Ailleurs.',
      clientId,
    });
    expectError(reused, 409, 'MESSAGE_ID_REUSED');
    expect((reused.json() as { error: { message: string } }).error.message).toBe(
      'Ce message a déjà été envoyé dans une autre demande.',
    );
    const staff = await call('POST', `/api/escalations/${other.id}/messages`, as.specialist, {
      body: 'Une question.',
      clientId,
    });
    expect(staff.statusCode).toBe(201);
    expectError(
      await call('POST', url, as.producer, { body: 'Mauvais id.', clientId: 'pas-un-uuid' }),
      400,
      'VALIDATION_ERROR',
    );
  });

  it('a message says when it was written on the device, when believable', async () => {
    const { as, call } = w;
    const e = await w.newCase(as.producer);
    const url = `/api/escalations/${e.id}/messages`;
    const ago = (ms: number) => new Date(Date.now() - ms).toISOString();
    const post = async (writtenAt: string) =>
      (
        await call('POST', url, as.producer, { body: 'Écrit au champ.', writtenAt })
      ).json() as EscalationMessage;
    // Three hours on the device with no signal: the lab reads when it was written.
    const threeHours = ago(3 * 3600_000);
    expect((await post(threeHours)).writtenAt).toBe(threeHours);
    // A clock a few minutes ahead is taken as now; far ahead, or 40 days back, is not believed.
    const skewed = await post(ago(-2 * 60_000));
    expect(Date.parse(skewed.writtenAt ?? '')).toBeLessThanOrEqual(Date.parse(skewed.createdAt));
    expect((await post(ago(-3600_000))).writtenAt).toBeNull();
    expect((await post(ago(40 * 24 * 3600_000))).writtenAt).toBeNull();
    // In a multipart body too; the lab's own messages have none.
    const { payload, headers } = await multipart([
      { name: 'writtenAt', value: threeHours },
      { name: 'body', value: 'Avec la photo.' },
      { name: 'photo', value: await w.photo(), filename: 'p.jpg' },
    ]);
    const withPhoto = await w.t.app.inject({
      method: 'POST',
      url,
      payload,
      headers: { ...headers, cookie: as.producer },
    });
    expect((withPhoto.json() as EscalationMessage).writtenAt).toBe(threeHours);
    const lab = (
      await call('POST', url, as.specialist, { body: 'Merci.' })
    ).json() as EscalationMessage;
    expect(lab.writtenAt).toBeNull();
    expectError(
      await call('POST', url, as.producer, { body: 'x', writtenAt: 'hier matin' }),
      400,
      'VALIDATION_ERROR',
    );
  });

  it('agreement stats: per class, top-1 and top-3 against the on-device prediction', async () => {
    const { as, call } = w;
    const base = (await call('GET', '/api/stats/agreement', as.admin)).json() as AgreementStats;
    const row = (s: AgreementStats, slug: string) =>
      s.classes.find((c) => c.slug === slug) ?? { n: 0, abstained: 0, top1Agree: 0, top3Agree: 0 };
    // Prediction ranks late blight, early blight, tomato late blight.
    const answerWith = async (slug: string, overrides: Record<string, unknown> = {}) => {
      const e = await w.newCase(as.producer, overrides);
      const r = await call('POST', `/api/escalations/${e.id}/answer`, as.specialist, {
        diagnosisSlug: slug,
        message: 'ok',
      });
      expect(r.statusCode).toBe(200);
    };
    await answerWith('potato_late_blight');
    await answerWith('potato_early_blight');
    await answerWith('potato_early_blight', {
      prediction: {
        modelVersion: 'v',
        abstained: false,
        top: [{ slug: 'tomato_late_blight', p: 0.9 }],
      },
    });
    // The device said it could not tell, its ranking led with early blight: counted, and said.
    await answerWith('potato_early_blight', {
      prediction: {
        modelVersion: 'v',
        abstained: true,
        top: [
          { slug: 'potato_early_blight', p: 0.4 },
          { slug: 'potato_late_blight', p: 0.35 },
        ],
      },
    });
    // No prediction: not counted.
    await answerWith('potato_early_blight', { prediction: null });
    const stats = (
      await call('GET', '/api/stats/agreement', as.specialist)
    ).json() as AgreementStats;
    const late = row(stats, 'potato_late_blight');
    const early = row(stats, 'potato_early_blight');
    const lateBase = row(base, 'potato_late_blight');
    const earlyBase = row(base, 'potato_early_blight');
    expect([
      late.n - lateBase.n,
      late.abstained - lateBase.abstained,
      late.top1Agree - lateBase.top1Agree,
      late.top3Agree - lateBase.top3Agree,
    ]).toEqual([1, 0, 1, 1]);
    expect([
      early.n - earlyBase.n,
      early.abstained - earlyBase.abstained,
      early.top1Agree - earlyBase.top1Agree,
      early.top3Agree - earlyBase.top3Agree,
    ]).toEqual([3, 1, 1, 2]);
    expect(stats.total.n).toBe(stats.classes.reduce((s, c) => s + c.n, 0));
    expect(stats.total.abstained).toBe(stats.classes.reduce((s, c) => s + c.abstained, 0));
    const cols = await w.t.app.db.query<{ top1_agree: boolean | null }>(
      `SELECT top1_agree FROM escalation_answers a JOIN escalations e ON e.id = a.escalation_id
        WHERE e.prediction IS NULL`,
    );
    expect(cols.every((c) => c.top1_agree === null)).toBe(true);
  });
});

describe('a requester’s messages in one request are limited, so the lab is not drowned', () => {
  let w: LabWorld;
  beforeAll(async () => {
    w = await createLabWorld({ MESSAGE_RATE_LIMIT_MAX: '2', MESSAGE_RATE_LIMIT_WINDOW_HOURS: '6' });
  });
  afterAll(() => w.close());

  it('past the limit: 429 in the user’s language; the lab, another request, a resend still go', async () => {
    const { as, call } = w;
    const e = await w.newCase(as.producer);
    const url = `/api/escalations/${e.id}/messages`;
    const first = crypto.randomUUID();
    expect(
      (await call('POST', url, as.producer, { body: 'Un.', clientId: first })).statusCode,
    ).toBe(201);
    expect((await call('POST', url, as.producer, { body: 'Deux.' })).statusCode).toBe(201);
    const third = await call('POST', url, as.producer, { body: 'Trois.' });
    expectError(third, 429, 'MESSAGE_RATE_LIMITED');
    expect((third.json() as { error: { message: string } }).error.message).toBe(
      'Vous avez déjà écrit 2 messages dans cette demande au cours des 6 dernières heures\u00a0: le laboratoire les lira avant d’en recevoir d’autres. Réessayez plus tard\u202f; en cas d’urgence, téléphonez au laboratoire.',
    );
    // A device resending one it wrote before gets it back, not the refusal.
    expect(
      (await call('POST', url, as.producer, { body: 'Un.', clientId: first })).statusCode,
    ).toBe(200);
    // The lab answers without a limit; the requester's other request has its own count.
    for (const body of ['Question 1?', 'Question 2?', 'Question 3?']) {
      expect((await call('POST', url, as.specialist, { body })).statusCode).toBe(201);
    }
    const other = await w.newCase(as.producer);
    expect(
      (await call('POST', `/api/escalations/${other.id}/messages`, as.producer, { body: 'Ici.' }))
        .statusCode,
    ).toBe(201);
    // Messages older than the window no longer count.
    await w.t.app.db.query(
      `UPDATE escalation_messages SET created_at = now() - interval '7 hours'
        WHERE escalation_id = $1`,
      [e.id],
    );
    expect((await call('POST', url, as.producer, { body: 'Trois.' })).statusCode).toBe(201);
  });

  it('messages written at once on one request: none past the limit, and the lab’s all go', async () => {
    const { as, call } = w;
    const e = await w.newCase(as.producer);
    const url = `/api/escalations/${e.id}/messages`;
    const post = (cookie: string, body: string) =>
      call('POST', url, cookie, { body, clientId: crypto.randomUUID() });
    // A device's queue and the page sending together, and the lab writing meanwhile.
    const replies = await Promise.all([
      ...['A.', 'B.', 'C.', 'D.', 'E.'].map((b) => post(as.producer, b)),
      ...['Q1?', 'Q2?', 'Q3?'].map((b) => post(as.specialist, b)),
    ]);
    const statuses = replies.map((r) => r.statusCode);
    expect(statuses.slice(0, 5).sort()).toEqual([201, 201, 429, 429, 429]);
    expect(statuses.slice(5)).toEqual([201, 201, 201]);
    const thread = (await call('GET', url, as.producer)).json() as EscalationMessageList;
    expect(thread.items.filter((m) => m.fromOwner)).toHaveLength(2);
    expect(thread.items).toHaveLength(5);
  });
});
