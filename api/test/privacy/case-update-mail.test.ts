import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NotificationList } from '../../src/contract/lab';
import type { User } from '../../src/contract/user';
import { decodeQuotedPrintable, startSmtp, waitFor, type ReceivedMail } from '../helpers/smtp';
import { createPrivacyWorld, EXTRA, type PrivacyWorld, type Who } from './privacy-world';

describe('the requester is e-mailed when the lab responds', () => {
  let w: PrivacyWorld;
  let smtp: Awaited<ReturnType<typeof startSmtp>>;

  beforeAll(async () => {
    smtp = await startSmtp();
    w = await createPrivacyWorld({
      SMTP_URL: smtp.url,
      PUBLIC_URL: 'https://phytodiag.example.org',
    });
  });
  afterAll(async () => {
    await w.close();
    await smtp.close();
  });

  const mailsTo = (to: string) => smtp.received.filter((m) => m.to.includes(to));
  const body = (m: ReceivedMail) => decodeQuotedPrintable(m.data);
  /** Lets a mail that should not come have the time to (they go after the answer returns). */
  const settle = () => new Promise((r) => setTimeout(r, 400));
  const patchMe = async (who: Who, changes: Record<string, unknown>) => {
    const res = await w.call('PATCH', '/api/auth/me', w.as[who], changes);
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as User;
  };

  it('one e-mail per case until it is read in the app, with a link and never the lab’s words', async () => {
    const producer = 'producteur@demo.local';
    const c = await w.newCase(w.as.producer, { crop: 'Fraisier' });
    expect((await w.answer(c.id, 'potato_late_blight')).statusCode).toBe(200);
    const first = await waitFor(() => mailsTo(producer)[0]);
    const text = body(first);
    expect(text).toContain('Le laboratoire a répondu à votre demande du');
    expect(text).toContain('(Fraisier)');
    expect(text).toContain(`https://phytodiag.example.org/#/cases/${c.id}`);
    expect(text).toContain('https://phytodiag.example.org/#/settings');
    // The answer stays in the app: neither the specialist's message nor the class's name.
    expect(text).not.toContain('Confirmé au laboratoire');
    expect(text).not.toMatch(/mildiou|late blight/i);

    // A lab message while the answer is still unread: no second e-mail.
    const url = `/api/escalations/${c.id}/messages`;
    const lab = await w.call('POST', url, w.as.specialist, { body: 'Une précision.' });
    expect(lab.statusCode).toBe(201);
    await settle();
    expect(mailsTo(producer)).toHaveLength(1);

    // Read in the app: the next news is e-mailed again.
    const read = await w.call('POST', '/api/notifications/read', w.as.producer, {
      escalationId: c.id,
    });
    expect(read.statusCode).toBe(200);
    expect((read.json() as NotificationList).unread).toBe(0);
    await w.call('POST', url, w.as.specialist, { body: 'Autre précision.' });
    const second = await waitFor(() => mailsTo(producer)[1]);
    expect(body(second)).toContain('Le laboratoire a écrit au sujet de votre demande');

    // The requester's own words e-mail nobody.
    const before = smtp.received.length;
    expect((await w.call('POST', url, w.as.producer, { body: 'Merci!' })).statusCode).toBe(201);
    await settle();
    expect(smtp.received).toHaveLength(before);
  });

  it('a sample request, in the account’s language', async () => {
    expect((await patchMe('gardener', { language: 'en' })).language).toBe('en');
    const c = await w.newCase(w.as.gardener, { crop: 'Tomate' });
    const res = await w.call('POST', `/api/escalations/${c.id}/sample-request`, w.as.specialist, {
      instructions: 'Envoyez trois feuilles dans un sac de papier.',
    });
    expect(res.statusCode, res.body).toBe(200);
    const mail = await waitFor(() => mailsTo(EXTRA.gardener)[0]);
    expect(body(mail)).toContain('The lab asks for a sample for your request of');
    expect(body(mail)).not.toContain('sac de papier');
  });

  it('turned off in the account, nothing is e-mailed; the app still tells', async () => {
    const me = await patchMe('far', { mailCaseUpdates: false });
    expect(me.mailCaseUpdates).toBe(false);
    const c = await w.newCase(w.as.far);
    expect((await w.answer(c.id, 'potato_late_blight')).statusCode).toBe(200);
    await settle();
    expect(mailsTo(EXTRA.far)).toHaveLength(0);
    const list = (await w.call('GET', '/api/notifications', w.as.far)).json() as NotificationList;
    expect(list.items.map((n) => [n.kind, n.escalationId])).toContainEqual(['answer', c.id]);
    // On again: the next case's answer is e-mailed.
    expect((await patchMe('far', { mailCaseUpdates: true })).mailCaseUpdates).toBe(true);
    const next = await w.newCase(w.as.far);
    expect((await w.answer(next.id, 'potato_late_blight')).statusCode).toBe(200);
    expect(body(await waitFor(() => mailsTo(EXTRA.far)[0]))).toContain(`/#/cases/${next.id}`);
  });
});
