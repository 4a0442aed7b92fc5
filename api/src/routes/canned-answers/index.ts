import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { ErrorBody } from '../../contract/common';
import { CannedAnswerList } from '../../contract/lab';

const routes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/api/canned-answers',
    {
      onRequest: app.requireStaff,
      schema: { tags: ['lab'], response: { 200: CannedAnswerList, '4xx': ErrorBody } },
    },
    async () => ({ items: await app.services.escalationWorkflow.cannedAnswers() }),
  );
};
export default routes;
