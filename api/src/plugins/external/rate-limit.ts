import fp from 'fastify-plugin';
import rateLimit, { type RateLimitOptions } from '@fastify/rate-limit';
import type { FastifyRequest } from 'fastify';
import { AppError } from '../../errors';
import { normaliseEmail } from '../../services/auth-service';

/**
 * Per-IP limit on every /api route (in memory: per instance; a shared store can come with Redis).
 * Files are not counted: the app shell, model shards and bank images are immutable, cacheable
 * reads, and one device saving the library for offline use fetches hundreds of thumbnails at once
 * (a whole farm office shares one address).
 * Routes tighten it with `config.rateLimit` (login, see loginRateLimit).
 * The 429 is our RATE_LIMITED error (localised by the error handler) with Retry-After.
 */
export default fp(
  async (app) => {
    await app.register(rateLimit, {
      max: app.config.rateLimitMax,
      timeWindow: '1 minute',
      allowList: (request) => !request.url.startsWith('/api/'),
      errorResponseBuilder: (_req, context) => new AppError('RATE_LIMITED', context.statusCode),
    });
  },
  { name: 'rate-limit' },
);

/** A per-minute limit counted after validation and authentication (preHandler), by `key`. */
function perMinute(
  max: number,
  groupId: string,
  key: (request: FastifyRequest) => string,
): RateLimitOptions {
  return { max, timeWindow: '1 minute', hook: 'preHandler', groupId, keyGenerator: key };
}

/**
 * Login attempts per minute per (client IP, email): guessing one account's password is slowed
 * down without letting one noisy address lock out everyone behind the same NAT (a farm office,
 * a cooperative). Counted after body validation so the email is known.
 */
export function loginRateLimit(max: number): RateLimitOptions {
  return perMinute(max, 'login', (request) => {
    const body = request.body as { email?: unknown } | undefined;
    const email = typeof body?.email === 'string' ? normaliseEmail(body.email) : '';
    return `${request.ip}|${email}`;
  });
}

/**
 * Registrations per hour per client IP: each probe of an address (EMAIL_TAKEN) or new account
 * costs one, so an address list cannot be checked quickly. By IP alone, since a probe changes
 * the e-mail every time; counted after validation, so a mistyped form does not use one.
 */
export function registerRateLimit(maxPerHour: number): RateLimitOptions {
  return {
    max: maxPerHour,
    timeWindow: '1 hour',
    hook: 'preHandler',
    groupId: 'register',
    keyGenerator: (request) => request.ip,
  };
}

/**
 * Password checks of a signed-in person (account deletion asks for the password again) per
 * minute and per account: a stolen session must not become a way to guess the password at the
 * general rate. Counted after authentication, so the account is known.
 */
export function passwordCheckRateLimit(max: number): RateLimitOptions {
  return perMinute(max, 'password-check', (request) => {
    const user = request.user as { id?: unknown } | undefined;
    return typeof user?.id === 'string' ? `user|${user.id}` : `ip|${request.ip}`;
  });
}
