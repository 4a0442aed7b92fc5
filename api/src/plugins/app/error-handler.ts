import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import fp from 'fastify-plugin';
import type { ErrorObject } from 'ajv';
import localizeFr from 'ajv-i18n/localize/fr';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import {
  AppError,
  errorMessage,
  isErrorCode,
  type ErrorCode,
  type ErrorParams,
} from '../../errors';
import { requestLanguage } from '../../i18n/request-language';
import type { ErrorBody, Language } from '../../contract/common';

/** Framework/plugin error codes → our codes. */
const KNOWN: Record<string, ErrorCode> = {
  FST_ERR_CTP_BODY_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  FST_REQ_FILE_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  FST_PARTS_LIMIT: 'PAYLOAD_TOO_LARGE',
  FST_FIELDS_LIMIT: 'PAYLOAD_TOO_LARGE',
  FST_FILES_LIMIT: 'TOO_MANY_PHOTOS',
  FST_INVALID_JSON_FIELD_ERROR: 'INVALID_CASE',
  FST_INVALID_MULTIPART_CONTENT_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'BAD_REQUEST',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'INVALID_JSON',
  FST_ERR_CTP_INVALID_JSON_BODY: 'INVALID_JSON',
  FST_PROTO_VIOLATION: 'BAD_REQUEST',
};

/**
 * PostgreSQL SQLSTATEs that only untrusted input can cause. Inputs are checked before they reach
 * the database (see lib/json-guards, the date formats); this is the safety net for any path that
 * check misses. 22021: invalid byte sequence (NUL in text), 22P05: untranslatable character
 * (\u0000 in jsonb); 22003, 22007, 22008, 22P02: a number, date or value out of its type's range
 * (a year 0000, an integer past 2^31).
 */
const SQLSTATE: Record<string, ErrorCode> = {
  '22021': 'INVALID_CHARACTERS',
  '22P05': 'INVALID_CHARACTERS',
  '22003': 'VALIDATION_ERROR',
  '22007': 'VALIDATION_ERROR',
  '22008': 'VALIDATION_ERROR',
  '22P02': 'VALIDATION_ERROR',
};

const STATUS_OVERRIDE: Partial<Record<ErrorCode, number>> = {
  TOO_MANY_PHOTOS: 400,
  INVALID_CASE: 400,
  UNSUPPORTED_MEDIA_TYPE: 415,
};

interface Rendered {
  status: number;
  code: ErrorCode;
  params: ErrorParams;
  details?: { path: string; message: string }[];
  /** Input that got past the checks and was refused by PostgreSQL: a check to add. */
  fromDatabase?: boolean;
}

/**
 * Form fields a person types, named in a VALIDATION_ERROR so the screen can say which one to fix
 * (an e-mail without its domain, a password over 200 characters, a link cut short). Other fields
 * are the app's own: a generic message is enough, and the details list them for developers.
 */
const FIELD_LABELS: Record<string, Record<Language, string>> = {
  email: { fr: 'le courriel', en: 'the email address' },
  password: { fr: 'le mot de passe', en: 'the password' },
  currentPassword: { fr: 'le mot de passe actuel', en: 'the current password' },
  newPassword: { fr: 'le nouveau mot de passe', en: 'the new password' },
  displayName: { fr: 'le nom', en: 'the name' },
  token: { fr: 'le lien reçu par courriel', en: 'the link from the email' },
  contactPhone: { fr: 'le numéro de téléphone', en: 'the phone number' },
  description: { fr: 'la description', en: 'the description' },
  crop: { fr: 'la culture', en: 'the crop' },
  message: { fr: 'le message', en: 'the message' },
  comment: { fr: 'le commentaire', en: 'the comment' },
};

/** The `{field}` of VALIDATION_ERROR: « : vérifiez le courriel », or nothing. */
function fieldParam(
  validation: NonNullable<FastifyError['validation']>,
): Record<Language, string> | string {
  const first = validation[0];
  const missing = (first?.params as { missingProperty?: unknown } | undefined)?.missingProperty;
  const name =
    typeof missing === 'string' ? missing : (first?.instancePath.split('/').at(-1) ?? '');
  const label = FIELD_LABELS[name];
  return label ? { fr: ` : vérifiez ${label.fr}`, en: `: check ${label.en}` } : '';
}

/**
 * Each validation problem, for the developer or the support desk reading it back to a user: in
 * the request's language (ajv-i18n, a copy: Fastify's error objects are left as they were).
 */
function validationDetails(
  validation: NonNullable<FastifyError['validation']>,
  context: string,
  lang: Language,
): { path: string; message: string }[] {
  const errors = validation.map((v) => ({ ...v }) as ErrorObject);
  if (lang === 'fr') localizeFr(errors);
  return errors.map((v) => ({
    path: `${context}${v.instancePath || ''}`,
    message: v.message ?? 'invalid',
  }));
}

function classify(err: FastifyError | AppError | Error, lang: Language): Rendered {
  if (err instanceof AppError) {
    return { status: err.statusCode, code: err.code, params: err.params, details: err.details };
  }
  const fe = err as FastifyError;
  // A path that names no possible resource ("/api/escalations/surveillance", a mistyped link)
  // is a resource that does not exist, not a form to correct.
  if (fe.validation && fe.validationContext === 'params') {
    return { status: 404, code: 'NOT_FOUND', params: {} };
  }
  if (fe.validation) {
    return {
      status: 400,
      code: 'VALIDATION_ERROR',
      params: { field: fe.validationContext === 'body' ? fieldParam(fe.validation) : '' },
      details: validationDetails(fe.validation, fe.validationContext ?? '', lang),
    };
  }
  const sqlState = fe.code ? SQLSTATE[fe.code] : undefined;
  if (sqlState) return { status: 400, code: sqlState, params: {}, fromDatabase: true };
  const mapped = fe.code ? KNOWN[fe.code] : undefined;
  if (mapped) {
    return { status: STATUS_OVERRIDE[mapped] ?? fe.statusCode ?? 400, code: mapped, params: {} };
  }
  // JSON.parse failures from the content-type parser carry statusCode 400 but no code.
  if (err instanceof SyntaxError && fe.statusCode === 400) {
    return { status: 400, code: 'INVALID_JSON', params: {} };
  }
  const status = fe.statusCode ?? 500;
  if (status === 429) return { status, code: 'RATE_LIMITED', params: {} };
  if (status === 413) return { status, code: 'PAYLOAD_TOO_LARGE', params: {} };
  if (status === 415) return { status, code: 'UNSUPPORTED_MEDIA_TYPE', params: {} };
  if (status === 404) return { status, code: 'NOT_FOUND', params: {} };
  if (status === 405) return { status, code: 'METHOD_NOT_ALLOWED', params: {} };
  if (status >= 400 && status < 500) return { status, code: 'BAD_REQUEST', params: {} };
  return { status: 500, code: 'INTERNAL', params: {} };
}

export function sendError(
  request: FastifyRequest,
  reply: FastifyReply,
  code: ErrorCode,
  status: number,
  params: ErrorParams = {},
  details?: { path: string; message: string }[],
): FastifyReply {
  const body: ErrorBody = {
    error: {
      code: isErrorCode(code) ? code : 'INTERNAL',
      message: errorMessage(code, requestLanguage(request), params),
      ...(details ? { details } : {}),
    },
  };
  return reply.code(status).type('application/json; charset=utf-8').send(body);
}

/**
 * Router-level errors (malformed URL encoding, over-long path parameters) happen before any
 * route or error handler: without this they would answer with Fastify's own body shape.
 */
export function frameworkErrors(
  err: FastifyError,
  request: FastifyRequest,
  reply: FastifyReply,
): FastifyReply {
  const status = err.code === 'FST_ERR_MAX_PARAM_LENGTH' ? 414 : 400;
  request.log.info({ code: err.code, status }, 'request rejected by the router');
  return sendError(request, reply, 'BAD_REQUEST', status);
}

/**
 * Requests Node's HTTP parser refuses (a Content-Length that is not a number, a malformed header,
 * headers too large, a request too slow to arrive) never become a request: no route, no handler,
 * no Accept-Language. They get our error shape all the same, in French, the app's first language,
 * instead of Fastify's own body. Then the connection is closed, as Node and Fastify do.
 */
export function clientErrors(err: Error & { code?: string }, socket: Duplex): void {
  if (err.code === 'ECONNRESET' || socket.destroyed) return;
  const status =
    err.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 408 : err.code === 'HPE_HEADER_OVERFLOW' ? 431 : 400;
  const body: ErrorBody = {
    error: { code: 'BAD_REQUEST', message: errorMessage('BAD_REQUEST', 'fr') },
  };
  const json = JSON.stringify(body);
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ''}\r\nConnection: close\r\n` +
        `Content-Type: application/json; charset=utf-8\r\n` +
        `Content-Length: ${Buffer.byteLength(json)}\r\n\r\n${json}`,
    );
  }
  socket.destroy(err);
}

/** One error shape for everything; 5xx never expose internals (logged server-side only). */
export default fp(
  async (app) => {
    app.setErrorHandler((err: FastifyError | AppError, request, reply) => {
      const r = classify(err, requestLanguage(request));
      if (r.status >= 500) request.log.error({ err }, 'request failed');
      else if (r.fromDatabase)
        request.log.warn({ err, code: r.code }, 'input refused by the database');
      else request.log.info({ code: r.code, status: r.status }, 'request rejected');
      // Headers set for the success path (e.g. long cache) must not stick to an error.
      reply.removeHeader('cache-control');
      reply.removeHeader('etag');
      return sendError(request, reply, r.code, r.status, r.params, r.details);
    });
  },
  { name: 'error-handler' },
);
