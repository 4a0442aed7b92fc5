import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { ErrorBody, IdParams } from '../../contract/common';
import {
  AlertSubscription,
  AlertSubscriptionBody,
  AlertSubscriptionList,
} from '../../contract/surveillance';
import type { User } from '../../contract/user';

const errors = { '4xx': ErrorBody };

const routes: FastifyPluginAsyncTypebox = async (app) => {
  const alerts = app.services.alerts;

  app.get(
    '/api/alerts/subscriptions',
    {
      onRequest: app.authenticate,
      schema: { tags: ['alerts'], response: { 200: AlertSubscriptionList, ...errors } },
    },
    async (request) => ({
      items: await alerts.list(request.user as User),
      mailEnabled: app.services.mailer.enabled,
    }),
  );

  app.post(
    '/api/alerts/subscriptions',
    {
      onRequest: app.authenticate,
      schema: {
        tags: ['alerts'],
        description:
          '201 when created; 200 with the existing subscription (its e-mail choice updated) when the same region and crop are already subscribed.',
        body: AlertSubscriptionBody,
        response: { 200: AlertSubscription, 201: AlertSubscription, ...errors },
      },
    },
    async (request, reply) => {
      const { subscription, created } = await alerts.subscribe(request.user as User, request.body);
      return reply.code(created ? 201 : 200).send(subscription);
    },
  );

  app.delete(
    '/api/alerts/subscriptions/:id',
    {
      onRequest: app.authenticate,
      schema: {
        tags: ['alerts'],
        params: IdParams,
        response: { 204: { type: 'null' }, ...errors },
      },
    },
    async (request, reply) => {
      await alerts.unsubscribe(request.user as User, request.params.id);
      return reply.code(204).send();
    },
  );
};
export default routes;
