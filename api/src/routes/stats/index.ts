import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { ErrorBody } from '../../contract/common';
import { AgreementStats } from '../../contract/lab';

const routes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/api/stats/agreement',
    {
      onRequest: app.requireStaff,
      schema: {
        tags: ['lab'],
        description: 'Per diagnosed class: answered cases with a prediction, top-1/top-3 agreement',
        response: { 200: AgreementStats, '4xx': ErrorBody },
      },
    },
    async () => app.services.escalationWorkflow.agreementStats(),
  );
};
export default routes;
