import fp from 'fastify-plugin';
import type { FastifyReply, preHandlerAsyncHookHandler } from 'fastify';
import { AppError } from '../../errors';
import { STAFF_ROLES } from '../../services/access';
import { SESSION_COOKIE } from '../../services/auth-service';
import type { Role, User } from '../../contract/user';

declare module 'fastify' {
  interface FastifyRequest {
    /** Signed-in user (from the session cookie), or null. */
    user: User | null;
  }
  interface FastifyInstance {
    /** preHandler: 401 UNAUTHENTICATED without a live session. */
    authenticate: preHandlerAsyncHookHandler;
    /** preHandler: 401 without a session, 403 FORBIDDEN without one of `roles`. */
    requireRole: (...roles: Role[]) => preHandlerAsyncHookHandler;
    /** requireRole for lab staff (specialist, admin). */
    requireStaff: preHandlerAsyncHookHandler;
    setSessionCookie: (
      reply: FastifyReply,
      request: FastifyRequest,
      token: string,
      expiresAt: Date,
    ) => void;
    clearSessionCookie: (reply: FastifyReply) => void;
  }
}

/**
 * Resolves the session cookie to a user on /api requests. Sessions live in the database so any
 * API instance can serve any request.
 */
export default fp(
  async (app) => {
    app.decorateRequest('user', null);

    app.addHook('onRequest', async (request) => {
      if (!request.url.startsWith('/api/')) return;
      const token = request.cookies[SESSION_COOKIE];
      if (token) request.user = await app.services.auth.userForToken(token);
    });

    const authenticate: preHandlerAsyncHookHandler = async (request) => {
      if (!request.user) throw new AppError('UNAUTHENTICATED');
    };
    app.decorate('authenticate', authenticate);

    const requireRole = (...roles: Role[]): preHandlerAsyncHookHandler => {
      const allowed = new Set(roles);
      return async (request) => {
        if (!request.user) throw new AppError('UNAUTHENTICATED');
        if (!allowed.has(request.user.role)) throw new AppError('FORBIDDEN');
      };
    };
    app.decorate('requireRole', requireRole);
    app.decorate('requireStaff', requireRole(...STAFF_ROLES));

    app.decorate('setSessionCookie', (reply, request, token, expiresAt) => {
      reply.setCookie(SESSION_COOKIE, token, {
        httpOnly: true,
        sameSite: 'lax',
        path: '/',
        // request.protocol honours X-Forwarded-Proto only when trustProxy is configured.
        secure: request.protocol === 'https',
        expires: expiresAt,
      });
    });
    app.decorate('clearSessionCookie', (reply) => {
      reply.clearCookie(SESSION_COOKIE, { path: '/', httpOnly: true, sameSite: 'lax' });
    });
  },
  { name: 'auth', dependencies: ['services'] },
);
