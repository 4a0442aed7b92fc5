import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { ErrorBody } from '../../contract/common';
import { PublicDetections, PublicQuery } from '../../contract/surveillance';

/** Shared caches may keep the public view this long: it changes when a case is answered. */
export const PUBLIC_MAX_AGE_SECONDS = 300;

/** No account: confirmed detections by region × week × class, small cells suppressed. */
const routes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/api/public/detections',
    {
      schema: {
        tags: ['public'],
        description: `Confirmed detections only; cells under the minimum count are left out.`,
        querystring: PublicQuery,
        response: { 200: PublicDetections, '4xx': ErrorBody },
      },
    },
    async (request, reply) => {
      const body = await app.services.surveillance.publicDetections(request.query);
      reply.header('cache-control', `public, max-age=${PUBLIC_MAX_AGE_SECONDS}`);
      return body;
    },
  );
};
export default routes;
