import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { AppError } from '../../errors';
import { parsePublicKey, VARIANTS } from '../../media/media-keys';

const routes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/images/:key',
    { schema: { hide: true, params: Type.Object({ key: Type.String({ maxLength: 80 }) }) } },
    async (request, reply) => {
      // Only keys matching our exact shape reach the store: no path traversal possible.
      const parsed = parsePublicKey(request.params.key);
      if (!parsed) throw new AppError('NOT_FOUND');
      const etag = `"${request.params.key}"`;
      // Content-addressed: the same key always has the same bytes.
      reply.header('cache-control', 'public, max-age=31536000, immutable').header('etag', etag);
      if (request.headers['if-none-match'] === etag) return reply.code(304).send();
      const file = await app.media.store.open(request.params.key);
      if (!file) throw new AppError('NOT_FOUND');
      return reply
        .type(VARIANTS[parsed.variant].contentType)
        .header('content-length', file.size)
        .send(file.stream);
    },
  );
};
export default routes;
