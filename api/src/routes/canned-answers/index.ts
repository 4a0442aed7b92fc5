import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { ErrorBody } from '../../contract/common';
import {
  CannedAnswer,
  CannedAnswerBody,
  CannedAnswerList,
  CannedAnswerParams,
} from '../../contract/lab';
import type { User } from '../../contract/user';

const routes: FastifyPluginAsyncTypebox = async (app) => {
  const canned = app.services.cannedAnswers;

  app.get(
    '/api/canned-answers',
    {
      onRequest: app.requireStaff,
      schema: { tags: ['lab'], response: { 200: CannedAnswerList, '4xx': ErrorBody } },
    },
    async () => ({ items: await canned.list() }),
  );

  app.post(
    '/api/canned-answers',
    {
      onRequest: app.requireStaff,
      schema: {
        tags: ['lab'],
        body: CannedAnswerBody,
        response: { 201: CannedAnswer, '4xx': ErrorBody },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await canned.create(request.user as User, request.body)),
  );

  app.put(
    '/api/canned-answers/:id',
    {
      onRequest: app.requireStaff,
      schema: {
        tags: ['lab'],
        params: CannedAnswerParams,
        body: CannedAnswerBody,
        response: { 200: CannedAnswer, '4xx': ErrorBody },
      },
    },
    async (request) => canned.update(request.user as User, request.params.id, request.body),
  );

  app.delete(
    '/api/canned-answers/:id',
    {
      onRequest: app.requireStaff,
      schema: {
        tags: ['lab'],
        params: CannedAnswerParams,
        response: { 204: { type: 'null' }, '4xx': ErrorBody },
      },
    },
    async (request, reply) => {
      await canned.remove(request.params.id);
      return reply.code(204).send();
    },
  );
};
export default routes;
