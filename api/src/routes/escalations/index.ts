import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { ErrorBody, IdParams } from '../../contract/common';
import {
  AnswerBody,
  ESCALATION_LIMITS,
  Escalation,
  EscalationList,
} from '../../contract/escalation';
import { EscalationQueueQuery, TakeOverQuery } from '../../contract/lab';
import type { User } from '../../contract/user';
import { readPhotoForm } from '../../media/read-photo-form';

const errors = { '4xx': ErrorBody };
const MAX_CASE_BYTES = 64 * 1024;

const routes: FastifyPluginAsyncTypebox = async (app) => {
  const escalations = app.services.escalations;

  app.post(
    '/api/escalations',
    {
      onRequest: app.authenticate,
      schema: {
        tags: ['escalations'],
        description:
          'multipart/form-data: 1–5 file parts named `photo` and a field `case` (EscalationCase JSON), in any order. 201 when created, 200 when this clientId was already submitted.',
        consumes: ['multipart/form-data'],
        response: { 200: Escalation, 201: Escalation, ...errors },
      },
    },
    async (request, reply) => {
      const photos: Buffer[] = [];
      const caseValue = await readPhotoForm(request, {
        field: 'case',
        fieldAsFileMaxBytes: MAX_CASE_BYTES,
        maxPhotos: ESCALATION_LIMITS.maxPhotos,
        onPhoto: (data) => {
          photos.push(data);
        },
      });
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
      onRequest: app.authenticate,
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
      onRequest: app.authenticate,
      schema: { tags: ['escalations'], params: IdParams, response: { 200: Escalation, ...errors } },
    },
    async (request) => {
      const viewer = request.user as User;
      const escalation = await escalations.get(request.params.id, viewer);
      // Law 25: a staff member's look at the exact location is logged for the owner to see.
      await app.services.privacy.recordLocationView(viewer, escalation);
      return escalation;
    },
  );

  app.post(
    '/api/escalations/:id/answer',
    {
      onRequest: app.requireStaff,
      schema: {
        tags: ['escalations'],
        params: IdParams,
        body: AnswerBody,
        querystring: TakeOverQuery,
        description:
          'The lab answer; 409 CASE_CLAIMED when a colleague holds the case (?takeOver=true to take it)',
        response: { 200: Escalation, ...errors },
      },
    },
    async (request) =>
      app.services.escalationWorkflow.answer(
        request.user as User,
        request.params.id,
        request.body,
        request.query.takeOver,
      ),
  );
};
export default routes;
