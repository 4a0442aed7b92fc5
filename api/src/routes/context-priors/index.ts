import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { ContextPriors } from '../../contract/surveillance';

/** Devices refresh their copy when online; a day-old table is as good as a fresh one. */
export const CONTEXT_PRIORS_MAX_AGE_SECONDS = 3600;

/** No account: region and season factors the device's classifier applies (see the contract). */
const routes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/api/public/context-priors',
    {
      schema: {
        tags: ['public'],
        description:
          'Region and season factors from the lab’s confirmations of the last three years (factors only, clipped).',
        response: { 200: ContextPriors },
      },
    },
    async (_request, reply) => {
      reply.header('cache-control', `public, max-age=${CONTEXT_PRIORS_MAX_AGE_SECONDS}`);
      return app.services.surveillance.contextPriors();
    },
  );
};
export default routes;
