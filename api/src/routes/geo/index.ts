import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../../errors';
import type { GeoFile, QuebecGeo } from '../../geo/quebec-geo';

/** A day: the boundaries change once a year at most; the ETag revalidates after that. */
const CACHE_CONTROL = 'public, max-age=86400';

/** The Quebec region and MRC boundaries of GEO_DIR, as they are (public; the PWA caches them). */
const routes: FastifyPluginAsyncTypebox = async (app) => {
  const send = async (
    request: FastifyRequest,
    reply: FastifyReply,
    pick: (g: QuebecGeo) => GeoFile,
  ) => {
    const geo = await app.services.geo.get().catch((err: unknown) => {
      request.log.error({ err }, 'GEO_DIR files unreadable');
      throw new AppError('SERVICE_UNAVAILABLE');
    });
    const file = pick(geo);
    reply.header('cache-control', CACHE_CONTROL).header('etag', file.etag);
    const match = request.headers['if-none-match'];
    if (match !== undefined && match.split(/\s*,\s*/).includes(file.etag)) {
      return reply.code(304).send();
    }
    return reply.header('content-type', 'application/geo+json; charset=utf-8').send(file.body);
  };
  const schema = { tags: ['geo'] };

  app.get(
    '/api/geo/regions',
    { schema: { ...schema, description: 'The 17 administrative regions (GeoJSON, d3 winding).' } },
    (request, reply) => send(request, reply, (g) => g.regionsFile),
  );
  app.get(
    '/api/geo/mrc',
    { schema: { ...schema, description: 'The 104 MRC and equivalent territories (GeoJSON).' } },
    (request, reply) => send(request, reply, (g) => g.mrcFile),
  );
};
export default routes;
