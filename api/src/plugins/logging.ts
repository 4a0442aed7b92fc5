import type { FastifyServerOptions } from 'fastify';
import { pino, stdSerializers, type DestinationStream, type LoggerOptions } from 'pino';

/**
 * Personal data and secrets never reach the logs, whatever gets logged: session cookies,
 * Authorization headers, passwords and email addresses (at any of the depths we log at).
 */
export const REDACT_PATHS = [
  'req.headers.cookie',
  'req.headers.authorization',
  'res.headers["set-cookie"]',
  'headers.cookie',
  'headers.authorization',
  'headers["set-cookie"]',
  'cookie',
  'cookies',
  'authorization',
  'password',
  'passwordHash',
  'password_hash',
  'token',
  'email',
  'body.password',
  'body.email',
  'req.body',
  '*.password',
  '*.passwordHash',
  '*.password_hash',
  '*.token',
  '*.email',
  '*.cookie',
  '*.*.password',
  '*.*.email',
];

const EMAIL = /[^\s@"'<>(),;:=/?&]+@[^\s@"'<>(),;:=/?&]+\.[a-z]{2,}/gi;

/** Emails inside free text (database error details, URLs) are masked too. */
export function scrubEmails(text: string): string {
  return text.replace(EMAIL, '[email]');
}

type SerializedError = ReturnType<typeof stdSerializers.err>;

function scrubError(err: Error): SerializedError {
  const out = stdSerializers.err(err);
  const scrubbed: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(out)) {
    scrubbed[key] = typeof value === 'string' ? scrubEmails(value) : value;
  }
  return scrubbed as SerializedError;
}

interface LoggedRequest {
  method: string;
  url: string;
  routeOptions?: { url?: string };
  ip?: string;
  id?: string;
}

/** Fastify's request serializer minus anything an email could hide in (query strings). */
function serializeRequest(req: LoggedRequest) {
  return { id: req.id, method: req.method, url: scrubEmails(req.url), ip: req.ip };
}

/** Fastify logger settings; with `stream` (tests capture the output) a ready-made instance. */
export function loggerSettings(
  level: string,
  stream?: DestinationStream,
): Pick<FastifyServerOptions, 'logger' | 'loggerInstance'> {
  const options: LoggerOptions = {
    level,
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    serializers: {
      err: scrubError,
      req: serializeRequest as (req: unknown) => unknown,
      res: (reply: { statusCode: number }) => ({ statusCode: reply.statusCode }),
    },
  };
  return stream ? { loggerInstance: pino(options, stream) } : { logger: options };
}
