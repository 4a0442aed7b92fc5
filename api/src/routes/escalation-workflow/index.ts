import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { ErrorBody, IdParams } from '../../contract/common';
import { Escalation } from '../../contract/escalation';
import {
  CloseBody,
  RatingBody,
  RequesterKindBody,
  SampleRequestBody,
  TakeOverQuery,
} from '../../contract/lab';
import { PhotoReuseBody, PhotoReuseResult, ToBankResult } from '../../contract/bank';
import type { User } from '../../contract/user';

const errors = { '4xx': ErrorBody };
const tags = ['escalations'];

/** Status changes of a case after its creation (rules: escalation-state-machine). */
const routes: FastifyPluginAsyncTypebox = async (app) => {
  const workflow = app.services.escalationWorkflow;
  const staff = app.requireStaff;
  const schema = { tags, params: IdParams, response: { 200: Escalation, ...errors } };

  app.post(
    '/api/escalations/:id/claim',
    {
      onRequest: staff,
      schema: {
        ...schema,
        querystring: TakeOverQuery,
        description:
          'received → in_review, held by the caller; a case a colleague holds: 409 CASE_CLAIMED, or moved to the caller with ?takeOver=true',
      },
    },
    async (request) =>
      workflow.claim(request.user as User, request.params.id, request.query.takeOver),
  );

  app.post(
    '/api/escalations/:id/sample-request',
    {
      onRequest: staff,
      schema: {
        ...schema,
        body: SampleRequestBody,
        querystring: TakeOverQuery,
        description:
          '→ sample_requested; assigns the case reference (caseRef) to write on it; 409 CASE_CLAIMED when a colleague holds the case (?takeOver=true)',
      },
    },
    async (request) =>
      workflow.sampleRequest(
        request.user as User,
        request.params.id,
        request.body,
        request.query.takeOver,
      ),
  );

  app.put(
    '/api/escalations/:id/requester-kind',
    {
      onRequest: staff,
      schema: {
        ...schema,
        body: RequesterKindBody,
        description:
          'staff: corrects the self-declared requester profile of this case, which orders the queue (agricultural clients first)',
      },
    },
    async (request) =>
      workflow.setRequesterKind(request.user as User, request.params.id, request.body.profileKind),
  );

  app.post(
    '/api/escalations/:id/sample-received',
    { onRequest: staff, schema: { ...schema, description: 'sample_requested → sample_received' } },
    async (request) => workflow.sampleReceived(request.user as User, request.params.id),
  );

  app.post(
    '/api/escalations/:id/close',
    {
      onRequest: app.authenticate,
      // The owner's « withdraw » sends no body at all: the same as an empty one.
      preValidation: async (request) => {
        request.body ??= {};
      },
      schema: {
        ...schema,
        body: CloseBody,
        description:
          'owner or staff; staff closing a case never answered must give `message` (to the thread, owner notified), else 400 CLOSE_MESSAGE_REQUIRED',
      },
    },
    async (request) => workflow.close(request.user as User, request.params.id, request.body ?? {}),
  );

  app.post(
    '/api/escalations/:id/rating',
    {
      onRequest: app.authenticate,
      schema: { ...schema, body: RatingBody, description: 'owner only, once, when answered' },
    },
    async (request) => workflow.rate(request.user as User, request.params.id, request.body),
  );

  app.post(
    '/api/escalations/:id/to-bank',
    {
      onRequest: staff,
      schema: {
        tags,
        params: IdParams,
        description: 'answered case whose owner consented: its photos become validated bank images',
        response: { 200: ToBankResult, ...errors },
      },
    },
    async (request) => app.services.bank.escalationToBank(request.user as User, request.params.id),
  );

  app.put(
    '/api/escalations/:id/photo-reuse',
    {
      onRequest: app.authenticate,
      schema: {
        tags,
        params: IdParams,
        body: PhotoReuseBody,
        description:
          'The owner gives or withdraws the consent to reuse the case photos in the image bank; withdrawn, photos already in the bank leave it and a retraining is queued.',
        response: { 200: PhotoReuseResult, ...errors },
      },
    },
    async (request) =>
      app.services.bank.setPhotoReuse(
        request.user as User,
        request.params.id,
        request.body.consent,
      ),
  );
};
export default routes;
