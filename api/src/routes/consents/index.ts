import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { ErrorBody } from '../../contract/common';
import { Consents, ConsentsView } from '../../contract/surveillance';
import type { User } from '../../contract/user';

const schema = { tags: ['privacy'], response: { 200: ConsentsView, '4xx': ErrorBody } };

const routes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/api/privacy/consents', { onRequest: app.authenticate, schema }, async (request) =>
    app.services.consents.get(request.user as User),
  );

  app.put(
    '/api/privacy/consents',
    {
      onRequest: app.authenticate,
      schema: {
        ...schema,
        description: 'Sets both consents; every change is recorded.',
        body: Consents,
      },
    },
    async (request) => app.services.consents.update(request.user as User, request.body),
  );
};
export default routes;
