import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { ErrorBody } from '../../contract/common';
import { ModelVersionList, ModelVersionParams } from '../../contract/training';

const routes: FastifyPluginAsyncTypebox = async (app) => {
  const versions = app.training.versions;

  app.get(
    '/api/models',
    {
      onRequest: app.requireStaff,
      schema: { tags: ['model'], response: { 200: ModelVersionList, '4xx': ErrorBody } },
    },
    async () => versions.list(),
  );

  app.post(
    '/api/models/:version/rollback',
    {
      onRequest: app.requireRole('admin'),
      schema: {
        tags: ['model'],
        params: ModelVersionParams,
        response: { 204: { type: 'null' }, '4xx': ErrorBody },
      },
    },
    async (request, reply) => {
      await versions.rollback(request.params.version);
      return reply.code(204).send();
    },
  );
};
export default routes;
