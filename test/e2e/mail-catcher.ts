import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodeQuotedPrintable, smtpServer } from '../../api/test/helpers/smtp';

/**
 * A real SMTP server for the end-to-end server's e-mails (SMTP_URL), started by the Playwright
 * runner: each message it receives is written to `dir` as a file, which the specs — in other
 * processes — read. unref(): it must not keep the runner alive once the tests end.
 */
export function startMailCatcher(port: number, dir: string): void {
  mkdirSync(dir, { recursive: true });
  let n = 0;
  const server = smtpServer(({ to, data }) => {
    const name = `${String(++n).padStart(4, '0')}-${encodeURIComponent(to.join(','))}.eml`;
    writeFileSync(join(dir, name), data);
  });
  server.listen(port, '127.0.0.1');
  server.server.unref();
}

/** The text of the e-mails written for `to`, oldest first (quoted-printable undone). */
export function mailsTo(dir: string, to: string): string[] {
  const suffix = `-${encodeURIComponent(to)}.eml`;
  return readdirSync(dir)
    .filter((f) => f.endsWith(suffix))
    .sort()
    .map((f) => decodeQuotedPrintable(readFileSync(join(dir, f), 'utf8')));
}
