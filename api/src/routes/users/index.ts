import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { ErrorBody, IdParams } from '../../contract/common';
import { RoleBody, TeamMember, TeamMemberList, TeamQuery, type User } from '../../contract/user';

const errors = { '4xx': ErrorBody };

/** The lab's team: admins find accounts and give them their role. */
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
};
export default routes;
