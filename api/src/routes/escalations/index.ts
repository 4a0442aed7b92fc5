import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { ErrorBody, IdParams } from '../../contract/common';
import { AnswerBody, Escalation, EscalationList } from '../../contract/escalation';
import { EscalationQueueQuery } from '../../contract/lab';
import type { User } from '../../contract/user';
import { AppError } from '../../errors';

const errors = { '4xx': ErrorBody };
const MAX_CASE_BYTES = 64 * 1024;

const routes: FastifyPluginAsyncTypebox = async (app) => {
  const escalations = app.services.escalations;

  app.post(
    '/api/escalations',
    {
      preHandler: app.authenticate,
      schema: {
        tags: ['escalations'],
        description:
          'multipart/form-data: 1–5 file parts named `photo` and a field `case` (EscalationCase JSON), in any order. 201 when created, 200 when this clientId was already submitted.',
        consumes: ['multipart/form-data'],
        response: { 200: Escalation, 201: Escalation, ...errors },
      },
    },
    async (request, reply) => {
      if (!request.isMultipart()) throw new AppError('UNSUPPORTED_MEDIA_TYPE');
      const photos: Buffer[] = [];
      let caseValue: unknown;
      for await (const part of request.parts()) {
        if (part.type === 'file') {
          // Always drain the part: toBuffer enforces the per-file size limit.
          const data = await part.toBuffer();
          if (part.fieldname === 'photo') photos.push(data);
          // `form.append('case', new Blob([json], { type: 'application/json' }))` arrives as a file.
          else if (part.fieldname === 'case') {
            if (data.length > MAX_CASE_BYTES) throw new AppError('PAYLOAD_TOO_LARGE');
            caseValue = data.toString('utf8');
          } else throw new AppError('BAD_REQUEST');
        } else if (part.fieldname === 'case') {
          if (part.valueTruncated) throw new AppError('PAYLOAD_TOO_LARGE');
          caseValue = part.value;
        }
      }
      const { escalation, created } = await escalations.create(request.user as User, {
        caseValue,
        photos,
      });
      return reply.code(created ? 201 : 200).send(escalation);
    },
  );

  app.get(
    '/api/escalations',
    {
      preHandler: app.authenticate,
      schema: {
        tags: ['escalations'],
        description:
          'Producers: their own cases, newest first. Specialists/admins: the queue (cases owed a response first, agricultural clientele before gardeners, least time left first) with counts per status.',
        querystring: EscalationQueueQuery,
        response: { 200: EscalationList, ...errors },
      },
    },
    async (request) => escalations.list(request.user as User, request.query),
  );

  app.get(
    '/api/escalations/:id',
    {
      preHandler: app.authenticate,
      schema: { tags: ['escalations'], params: IdParams, response: { 200: Escalation, ...errors } },
    },
    async (request) => escalations.get(request.params.id, request.user as User),
  );

  app.post(
    '/api/escalations/:id/answer',
    {
      preHandler: app.requireRole('specialist', 'admin'),
      schema: {
        tags: ['escalations'],
        params: IdParams,
        body: AnswerBody,
        response: { 200: Escalation, ...errors },
      },
    },
    async (request) =>
      app.services.escalationWorkflow.answer(request.user as User, request.params.id, request.body),
  );
};
export default routes;
