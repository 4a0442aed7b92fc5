import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { ErrorBody, IdParams } from '../../contract/common';
import {
  ResetLink,
  RoleBody,
  TeamMember,
  TeamMemberList,
  TeamQuery,
  type User,
} from '../../contract/user';

const errors = { '4xx': ErrorBody };

/** The lab's team: admins find accounts, give them their role, hand out a password link. */
const routes: FastifyPluginAsyncTypebox = async (app) => {
  const team = app.services.team;

  app.get(
    '/api/users',
    {
      onRequest: app.requireRole('admin'),
      schema: {
        tags: ['users'],
        description:
          'Without q: every account with a role other than producer. With q: accounts whose ' +
          'e-mail or name contains it (any case). E-mail, name, role and creation date only.',
        querystring: TeamQuery,
        response: { 200: TeamMemberList, ...errors },
      },
    },
    async (request, reply) => {
      reply.header('cache-control', 'no-store');
      return team.list(request.query.q);
    },
  );

  app.patch(
    '/api/users/:id/role',
    {
      onRequest: app.requireRole('admin'),
      schema: {
        tags: ['users'],
        description:
          'Gives the account a role; 409 LAST_ADMIN when no administrator would be left.',
        params: IdParams,
        body: RoleBody,
        response: { 200: TeamMember, ...errors },
      },
    },
    async (request) => team.setRole(request.user as User, request.params.id, request.body.role),
  );

  app.post(
    '/api/users/:id/password-reset',
    {
      onRequest: app.requireRole('admin'),
      schema: {
        tags: ['users'],
        description:
          'A one-hour, one-time link to choose a new password, for the admin to give the person ' +
          '(no mail server, a lost mailbox). Replaces any earlier link of the account.',
        params: IdParams,
        response: { 200: ResetLink, ...errors },
      },
    },
    async (request, reply) => {
      const by = (request.user as User).id;
      // Recorded (password_links_given) and logged: an access to someone's account handed out.
      const issued = await app.services.auth.resetLinkFor(request.params.id, by);
      request.log.info({ by, user: request.params.id }, 'password reset link issued by an admin');
      reply.header('cache-control', 'no-store');
      return issued;
    },
  );
};
export default routes;
