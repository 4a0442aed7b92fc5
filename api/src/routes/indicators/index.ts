import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { ErrorBody } from '../../contract/common';
import { IndicatorsQuery, ServiceIndicators } from '../../contract/surveillance';

const routes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/api/indicators',
    {
      onRequest: app.requireRole('admin'),
      schema: {
        tags: ['indicators'],
        description:
          'Service indicators over the inclusive weeks [from, to] (Mondays; default the last 12 weeks). Backlog is as of now; agreement is over all answered cases.',
        querystring: IndicatorsQuery,
        response: { 200: ServiceIndicators, '4xx': ErrorBody },
      },
    },
    async (request) => app.services.indicators.get(request.query),
  );
};
export default routes;
