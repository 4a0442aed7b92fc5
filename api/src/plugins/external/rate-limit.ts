import fp from 'fastify-plugin';
import rateLimit from '@fastify/rate-limit';
import { AppError } from '../../errors';

/**
 * Per-IP limit on every route (in memory: per instance; a shared store can come with Redis).
 * Routes tighten it with `config.rateLimit` (login).
 */
export default fp(
  async (app) => {
    await app.register(rateLimit, {
      max: app.config.rateLimitMax,
      timeWindow: '1 minute',
      errorResponseBuilder: (_req, context) => new AppError('RATE_LIMITED', context.statusCode),
    });
  },
  { name: 'rate-limit' },
);
