import fp from 'fastify-plugin';
import type { FastifyReply, FastifyRequest, onRequestAsyncHookHandler } from 'fastify';
import { AppError } from '../../errors';
import { STAFF_ROLES } from '../../services/access';
import { SESSION_COOKIE } from '../../services/auth-service';
import { ACCOUNT_HEADER, type Role, type User } from '../../contract/user';

declare module 'fastify' {
  interface FastifyRequest {
    /** Signed-in user (from the session cookie), or null. */
    user: User | null;
    /**
     * The request named another account than the session's (ACCOUNT_HEADER): a device's queue
     * sending a row its author wrote, after someone else signed in on that device.
     */
    forAnotherAccount: boolean;
  }
  interface FastifyInstance {
    /** onRequest hook: 401 UNAUTHENTICATED without a live session. */
    authenticate: onRequestAsyncHookHandler;
    /** onRequest hook: 401 without a session, 403 FORBIDDEN without one of `roles`. */
    requireRole: (...roles: Role[]) => onRequestAsyncHookHandler;
    /** requireRole for lab staff (specialist, admin). */
    requireStaff: onRequestAsyncHookHandler;
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
    app.decorateRequest('forAnotherAccount', false);

    app.addHook('onRequest', async (request) => {
      if (!request.url.startsWith('/api/')) return;
      const token = request.cookies[SESSION_COOKIE];
      if (token) request.user = await app.services.auth.userForToken(token);
      // On a shared device, a queue may still be sending what its author wrote when someone
      // else has signed in: that session does not speak for the author. Not signed in, as far
      // as this request goes; the row waits on the device for its author.
      const author = request.headers[ACCOUNT_HEADER];
      if (request.user && typeof author === 'string' && author !== request.user.id) {
        request.user = null;
        request.forAnotherAccount = true;
      }
    });

    // Route guards are onRequest hooks: who may call is settled before the body is read or
    // validated, so an outsider's upload is refused before it is parsed, and a malformed body
    // from an outsider is a 401 or 403, not a 400 that describes the contract.
    const signedIn = (request: FastifyRequest): User => {
      if (request.user) return request.user;
      throw new AppError(request.forAnotherAccount ? 'SIGNED_IN_AS_ANOTHER' : 'UNAUTHENTICATED');
    };
    const authenticate: onRequestAsyncHookHandler = async (request) => {
      signedIn(request);
    };
    app.decorate('authenticate', authenticate);

    const requireRole = (...roles: Role[]): onRequestAsyncHookHandler => {
      const allowed = new Set(roles);
      return async (request) => {
        if (!allowed.has(signedIn(request).role)) throw new AppError('FORBIDDEN');
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
