import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { ErrorBody, IdParams, Uuid } from '../../contract/common';
import { EscalationPhotoQuery } from '../../contract/escalation';
import { readPhotoForm } from '../../media/read-photo-form';
import { sendPrivateImage } from '../../media/send-image';
import {
  EscalationMessage,
  EscalationMessageList,
  MESSAGE_LIMITS,
  MessageBody,
} from '../../contract/lab';
import type { User } from '../../contract/user';
import { AppError } from '../../errors';

const errors = { '4xx': ErrorBody };

/** The case thread, both ways (owner and lab staff). */
const routes: FastifyPluginAsyncTypebox = async (app) => {
  const workflow = app.services.escalationWorkflow;

  app.get(
    '/api/escalations/:id/messages',
    {
      onRequest: app.authenticate,
      schema: {
        tags: ['escalations'],
        params: IdParams,
        response: { 200: EscalationMessageList, ...errors },
      },
    },
    async (request) => ({
      items: await workflow.listMessages(request.user as User, request.params.id),
    }),
  );

  app.post(
    '/api/escalations/:id/messages',
    {
      onRequest: app.authenticate,
      schema: {
        tags: ['escalations'],
        description:
          'JSON MessageBody, or multipart/form-data with a `body` field and 0–5 `photo` file parts. ' +
          'On a closed case only its owner may write, which reopens it (back to the status it ' +
          'was closed from) within `MESSAGE_LIMITS.reopenDays` of the closing when the lab had ' +
          'responded: 409 CASE_CLOSED_UNANSWERED or CASE_CLOSED_TOO_LONG otherwise. A `clientId` ' +
          'already written by the same author answers 200 with that message (nothing written); ' +
          'one of theirs in another case is 409 MESSAGE_ID_REUSED.',
        params: IdParams,
        response: { 200: EscalationMessage, 201: EscalationMessage, ...errors },
      },
    },
    async (request, reply) => {
      let body: unknown;
      const photos: Buffer[] = [];
      if (request.isMultipart()) {
        const optional: { clientId?: string; writtenAt?: string } = {};
        const text = await readPhotoForm(request, {
          field: 'body',
          maxPhotos: MESSAGE_LIMITS.maxPhotos,
          onPhoto: (data) => {
            photos.push(data);
          },
          otherFields: {
            clientId: (value) => {
              optional.clientId = value;
            },
            writtenAt: (value) => {
              optional.writtenAt = value;
            },
          },
        });
        if (text !== undefined) body = { body: text, ...optional };
      } else {
        body = request.body;
      }
      // Validated here rather than by the route schema, which cannot describe both encodings.
      // No text written (no field, or an empty one) is the user's omission: MESSAGE_REQUIRED.
      // Anything else that does not fit (a number, 5001 characters, a text/plain body) is a
      // malformed request: VALIDATION_ERROR with its details.
      const written = (body as { body?: unknown } | undefined)?.body;
      if (body === undefined || (typeof body === 'object' && (written ?? '') === '')) {
        throw new AppError('MESSAGE_REQUIRED');
      }
      if (!Value.Check(MessageBody, body)) {
        const details = [...Value.Errors(MessageBody, body)]
          .slice(0, 10)
          .map((e) => ({ path: `body${e.path}`, message: e.message }));
        throw new AppError('VALIDATION_ERROR', undefined, {}, details);
      }
      const { message, created } = await workflow.postMessage(
        request.user as User,
        request.params.id,
        {
          body: body.body,
          photos,
          clientId: body.clientId ?? null,
          ...(body.writtenAt === undefined ? {} : { writtenAt: body.writtenAt }),
        },
      );
      return reply.code(created ? 201 : 200).send(message);
    },
  );

  app.get(
    '/api/escalations/:id/messages/:messageId/photos/:position',
    {
      schema: {
        tags: ['escalations'],
        description: 'A thread photo (owner and staff only; 404 for anyone else).',
        params: Type.Object({
          id: Uuid,
          messageId: Uuid,
          position: Type.Integer({ minimum: 0, maximum: MESSAGE_LIMITS.maxPhotos }),
        }),
        querystring: EscalationPhotoQuery,
        response: { '4xx': ErrorBody },
      },
    },
    async (request, reply) => {
      const { id, messageId, position } = request.params;
      const baseKey = await workflow.messagePhotoKey(request.user, id, messageId, position);
      return sendPrivateImage(app.media, request, reply, baseKey, request.query.size);
    },
  );
};
export default routes;
