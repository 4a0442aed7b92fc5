import type { MailMessage } from './mailer';
import type { Language } from '../contract/common';

/** The « mot de passe oublié » e-mail, in the account's language. */
export function passwordResetMail(to: string, language: Language, link: string): MailMessage {
  return language === 'en'
    ? {
        to,
        subject: 'Phytodiag: choose a new password',
        text: `Someone (you, most likely) asked to change the password of your Phytodiag account. To choose a new one, open this link within the hour:\n\n${link}\n\nThe link works once. Once the password is changed, your other devices are signed out.\n\nIf you asked for nothing, ignore this e-mail: your password stays the same.`,
      }
    : {
        to,
        subject: 'Phytodiag : choisir un nouveau mot de passe',
        text: `Quelqu’un (vous, sans doute) a demandé à changer le mot de passe de votre compte Phytodiag. Pour en choisir un nouveau, ouvrez ce lien dans l’heure :\n\n${link}\n\nLe lien ne sert qu’une fois. Une fois le mot de passe changé, vos autres appareils sont déconnectés.\n\nSi vous n’avez rien demandé, ignorez ce courriel : votre mot de passe reste le même.`,
      };
}
