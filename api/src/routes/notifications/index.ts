import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { ErrorBody } from '../../contract/common';
import { MarkReadBody, NotificationList } from '../../contract/lab';
import type { User } from '../../contract/user';

const errors = { '4xx': ErrorBody };

const routes: FastifyPluginAsyncTypebox = async (app) => {
  const workflow = app.services.escalationWorkflow;

  app.get(
    '/api/notifications',
    {
      onRequest: app.authenticate,
      schema: { tags: ['notifications'], response: { 200: NotificationList, ...errors } },
    },
    async (request) => workflow.notifications(request.user as User),
  );

  app.post(
    '/api/notifications/read',
    {
      onRequest: app.authenticate,
      schema: {
        tags: ['notifications'],
        description: 'Marks read the given ids, or those of one case, or all (empty body).',
        body: MarkReadBody,
        response: { 200: NotificationList, ...errors },
      },
    },
    async (request) => workflow.markRead(request.user as User, request.body),
  );
};
export default routes;
