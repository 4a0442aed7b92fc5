import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { ErrorBody } from '../../contract/common';
import { ModelManifest } from '../../contract/model';
import { AppError } from '../../errors';

const routes: FastifyPluginAsyncTypebox = async (app) => {
  const model = app.services.model;

  app.get(
    '/api/model/manifest',
    { schema: { tags: ['model'], response: { 200: ModelManifest, '4xx': ErrorBody } } },
    async (_request, reply) => {
      const manifest = await model.manifest();
      // The pointer can move to a new version at any time: always revalidate.
      reply.header('cache-control', 'no-cache');
      return manifest;
    },
  );

  app.get(
    '/models/:version/*',
    {
      schema: {
        hide: true,
        params: Type.Object({ version: Type.String(), '*': Type.String() }),
      },
    },
    async (request, reply) => {
      const file = await model.openFile(request.params.version, request.params['*']);
      if (!file) throw new AppError('NOT_FOUND');
      // A version folder never changes once exported.
      return reply
        .header('cache-control', 'public, max-age=31536000, immutable')
        .header('content-length', file.size)
        .type(file.contentType)
        .send(file.stream);
    },
  );
};
export default routes;
