import type { FastifyBaseLogger } from 'fastify';
import type { Repositories } from '../repositories';
import type { CaseMailRecipient } from '../repositories/notification-repository';
import type { Mailer, MailMessage } from './mailer';

/** What the lab did that the owner is told of by e-mail. */
export type CaseNews = 'answer' | 'sample_request' | 'message';

const SUBJECTS: Record<CaseNews, { fr: string; en: string }> = {
  answer: {
    fr: 'Phytodiag : le laboratoire a répondu à votre demande',
    en: 'Phytodiag: the lab answered your request',
  },
  sample_request: {
    fr: 'Phytodiag : le laboratoire demande un échantillon',
    en: 'Phytodiag: the lab asks for a sample',
  },
  message: {
    fr: 'Phytodiag : nouveau message du laboratoire',
    en: 'Phytodiag: new message from the lab',
  },
};

const WHAT: Record<CaseNews, { fr: string; en: string }> = {
  answer: { fr: 'Le laboratoire a répondu à', en: 'The lab answered' },
  sample_request: {
    fr: 'Le laboratoire demande un échantillon pour',
    en: 'The lab asks for a sample for',
  },
  message: { fr: 'Le laboratoire a écrit au sujet de', en: 'The lab wrote about' },
};

/**
 * The e-mail: what happened, to which request (the crop the person typed and the day they asked),
 * and the link. Never the answer itself: an e-mail travels and is kept where the app's data is
 * not, and the answer may name the farm's problem.
 */
export function caseUpdateMail(
  r: CaseMailRecipient,
  news: CaseNews,
  links: { caseLink: string; settingsLink: string },
  timeZone: string,
): MailMessage {
  const lang = r.language;
  const day = new Intl.DateTimeFormat(lang === 'en' ? 'en-CA' : 'fr-CA', {
    dateStyle: 'long',
    timeZone,
  }).format(new Date(r.askedAt));
  const text =
    lang === 'en'
      ? `Hello,\n\n${WHAT[news].en} your request of ${day} (${r.crop}). Read it in the app:\n\n${links.caseLink}\n\nFor your privacy, this e-mail does not carry the lab's words. You get one e-mail per request until you read it in the app.\n\nTo stop these e-mails: ${links.settingsLink} (Settings, E-mails).`
      : `Bonjour,\n\n${WHAT[news].fr} votre demande du ${day} (${r.crop}). Lisez-la dans l’application :\n\n${links.caseLink}\n\nPour votre confidentialité, ce courriel ne reprend pas les mots du laboratoire. Vous recevez un seul courriel par demande tant que vous ne l’avez pas lue dans l’application.\n\nPour ne plus recevoir ces courriels : ${links.settingsLink} (Réglages, Courriels).`;
  return { to: r.email, subject: SUBJECTS[news][lang], text };
}

/**
 * E-mails the owner of a case when the lab responds (see migration 020): called after the
 * notification has committed, and only when it was the case's first unread one. Never throws:
 * the lab's answer stands whatever becomes of the e-mail.
 */
export function createCaseUpdateMailer(deps: {
  repos: Repositories;
  mailer: Mailer;
  publicUrl: string;
  timeZone: string;
  log: FastifyBaseLogger;
}) {
  const { repos, mailer, publicUrl, timeZone, log } = deps;
  return async function mailOwner(escalationId: string, news: CaseNews): Promise<void> {
    try {
      const recipient = await repos.notifications.caseMailRecipient(escalationId);
      if (!recipient) return;
      const links = {
        caseLink: `${publicUrl}/#/cases/${escalationId}`,
        settingsLink: `${publicUrl}/#/settings`,
      };
      // Not awaited: the SMTP round trip must not hold up the specialist's answer.
      void mailer.send(caseUpdateMail(recipient, news, links, timeZone));
    } catch (err) {
      log.error({ err, escalationId }, 'case update e-mail not sent');
    }
  };
}
