import nodemailer, { type Transporter } from 'nodemailer';
import type { FastifyBaseLogger } from 'fastify';

export interface MailMessage {
  to: string;
  subject: string;
  text: string;
}

/**
 * Outgoing e-mail. With SMTP_URL a nodemailer SMTP transport; without, the message is only
 * logged (subject, never the address: logs must not hold personal data). `send` never rejects
 * and is meant to be called without awaiting: an unreachable SMTP server must not slow down or
 * fail the request that caused the e-mail; failures are logged.
 */
export function createMailer(deps: {
  smtpUrl: string | undefined;
  from: string;
  log: FastifyBaseLogger;
}) {
  const { smtpUrl, from, log } = deps;
  const transport: Transporter | null = smtpUrl
    ? nodemailer.createTransport(smtpUrl, { from })
    : null;
  return {
    enabled: transport !== null,
    async send(message: MailMessage): Promise<void> {
      if (!transport) {
        log.info({ mail: { subject: message.subject } }, 'e-mail not sent: SMTP_URL is not set');
        return;
      }
      try {
        await transport.sendMail({ from, ...message });
      } catch (err) {
        log.error({ err, mail: { subject: message.subject } }, 'e-mail could not be sent');
      }
    },
    close(): void {
      transport?.close();
    },
  };
}
export type Mailer = ReturnType<typeof createMailer>;
