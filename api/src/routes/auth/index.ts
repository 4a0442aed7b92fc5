import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ErrorBody } from '../../contract/common';
import {
  ChangePasswordBody,
  EndedSessions,
  LoginBody,
  PasswordResetBody,
  PasswordResetRequestBody,
  PasswordResetInfo,
  Profile,
  RegisterBody,
  User,
} from '../../contract/user';
import { requestLanguage } from '../../i18n/request-language';
import {
  loginRateLimit,
  passwordCheckRateLimit,
  registerRateLimit,
} from '../../plugins/external/rate-limit';
import { SESSION_COOKIE } from '../../services/auth-service';

const errors = { '4xx': ErrorBody };

const routes: FastifyPluginAsyncTypebox = async (app) => {
  const auth = app.services.auth;

  /** Session fixation: whatever session cookie came with the request is ended, never reused. */
  const replaceSession = async (
    request: FastifyRequest,
    reply: FastifyReply,
    token: string,
    expiresAt: Date,
  ): Promise<void> => {
    const previous = request.cookies[SESSION_COOKIE];
    if (previous) await auth.logout(previous);
    app.setSessionCookie(reply, request, token, expiresAt);
  };

  app.post(
    '/api/auth/register',
    {
      config: { rateLimit: registerRateLimit(app.config.registerRateLimitMax) },
      schema: { tags: ['auth'], body: RegisterBody, response: { 201: User, ...errors } },
    },
    async (request, reply) => {
      const { user, token, expiresAt } = await auth.register(
        request.body,
        requestLanguage(request),
      );
      // Signed in at once, as after a login: one round trip on a weak rural connection.
      await replaceSession(request, reply, token, expiresAt);
      return reply.code(201).send(user);
    },
  );

  app.post(
    '/api/auth/login',
    {
      config: { rateLimit: loginRateLimit(app.config.loginRateLimitMax) },
      schema: { tags: ['auth'], body: LoginBody, response: { 200: User, ...errors } },
    },
    async (request, reply) => {
      const { user, token, expiresAt } = await auth.login(
        request.body.email,
        request.body.password,
      );
      await replaceSession(request, reply, token, expiresAt);
      return user;
    },
  );

  app.post('/api/auth/logout', { schema: { tags: ['auth'] } }, async (request, reply) => {
    const token = request.cookies[SESSION_COOKIE];
    if (token) await auth.logout(token);
    app.clearSessionCookie(reply);
    return reply.code(204).send();
  });

  app.post(
    '/api/auth/password',
    {
      onRequest: app.authenticate,
      config: { rateLimit: passwordCheckRateLimit(app.config.loginRateLimitMax) },
      schema: {
        tags: ['auth'],
        description:
          'Changes the password (403 CURRENT_PASSWORD_WRONG; the rules of register apply to the new one). Every session of the account ends; the caller gets a new one.',
        body: ChangePasswordBody,
        response: { 200: EndedSessions, ...errors },
      },
    },
    async (request, reply) => {
      const { currentPassword, newPassword } = request.body;
      const { ended, token, expiresAt } = await auth.changePassword(
        (request.user as User).id,
        currentPassword,
        newPassword,
      );
      app.setSessionCookie(reply, request, token, expiresAt);
      return { ended };
    },
  );

  app.get(
    '/api/auth/password-reset',
    {
      schema: {
        tags: ['auth'],
        description:
          'Whether a reset link can be e-mailed at all (the forgot screen says so first).',
        response: { 200: PasswordResetInfo },
      },
    },
    async () => ({ mailEnabled: app.services.mailer.enabled }),
  );

  app.post(
    '/api/auth/password-reset',
    {
      // Per address and e-mail, as login: nobody's mailbox is flooded, no address is probed fast.
      config: { rateLimit: loginRateLimit(app.config.loginRateLimitMax) },
      schema: {
        tags: ['auth'],
        description:
          'E-mails a one-hour, one-time link to choose a new password, if the address has an account. The answer is the same either way.',
        body: PasswordResetRequestBody,
        response: { 202: PasswordResetInfo, ...errors },
      },
    },
    async (request, reply) => {
      // Done after the answer: its timing must not tell an account's address from a stranger's.
      void auth
        .requestPasswordReset(request.body.email)
        .catch((err: unknown) => request.log.error({ err }, 'password reset link not issued'));
      return reply.code(202).send({ mailEnabled: app.services.mailer.enabled });
    },
  );

  app.post(
    '/api/auth/password-reset/confirm',
    {
      config: { rateLimit: loginRateLimit(app.config.loginRateLimitMax) },
      schema: {
        tags: ['auth'],
        description:
          'Sets the new password from an e-mailed link (400 RESET_LINK_INVALID when used, replaced or expired). Every session of the account ends; the caller is signed in.',
        body: PasswordResetBody,
        response: { 200: User, ...errors },
      },
    },
    async (request, reply) => {
      const { user, token, expiresAt } = await auth.resetPassword(
        request.body.token,
        request.body.newPassword,
      );
      await replaceSession(request, reply, token, expiresAt);
      return user;
    },
  );

  app.post(
    '/api/auth/logout-others',
    {
      onRequest: app.authenticate,
      schema: {
        tags: ['auth'],
        description:
          'Ends every session of the account except the caller’s (a lost phone, a shared computer).',
        response: { 200: EndedSessions, ...errors },
      },
    },
    async (request) => ({
      ended: await auth.endOtherSessions(
        (request.user as User).id,
        request.cookies[SESSION_COOKIE] as string,
      ),
    }),
  );

  app.get(
    '/api/auth/me',
    {
      onRequest: app.authenticate,
      schema: { tags: ['auth'], response: { 200: User, ...errors } },
    },
    async (request) => request.user as User,
  );

  app.patch(
    '/api/auth/me',
    {
      onRequest: app.authenticate,
      schema: { tags: ['auth'], body: Profile, response: { 200: User, ...errors } },
    },
    async (request) => auth.updateProfile((request.user as User).id, request.body),
  );
};
export default routes;
