import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { ErrorBody, IdParams } from '../../contract/common';
import { EscalationPhotoQuery } from '../../contract/escalation';
import { readPhotoForm } from '../../media/read-photo-form';
import { sendPrivateImage } from '../../media/send-image';
import {
  BANK_SUBMISSION_LIMITS,
  BankSubmission,
  BankSubmissionCreated,
  BankSubmissionList,
  BankSubmissionQuery,
  RejectSubmissionBody,
  TrainingRequestList,
  ValidateSubmissionBody,
  WithdrawSubmissionBody,
} from '../../contract/bank';
import type { User } from '../../contract/user';
import { STAFF_ROLES } from '../../services/access';
import type { ProcessedImage } from '../../media/image-processor';

const errors = { '4xx': ErrorBody };
const tags = ['bank'];
const MAX_META_BYTES = 16 * 1024;

const routes: FastifyPluginAsyncTypebox = async (app) => {
  const bank = app.services.bank;
  const contributors = app.requireRole('agronomist', ...STAFF_ROLES);
  const curators = app.requireStaff;

  app.post(
    '/api/bank/submissions',
    {
      onRequest: contributors,
      schema: {
        tags,
        description:
          'multipart/form-data: 1–20 `photo` file parts and a `meta` field (BankSubmissionMeta JSON). ' +
          'Photos the bank already has are left out and listed in `alreadyInBank`; 409 ' +
          'IMAGE_ALREADY_IN_BANK when none is new. A resend with the same `meta.clientId` ' +
          'returns the submission it made with 200 and writes nothing.',
        consumes: ['multipart/form-data'],
        response: { 200: BankSubmissionCreated, 201: BankSubmissionCreated, ...errors },
      },
    },
    async (request, reply) => {
      const photos: ProcessedImage[] = [];
      const metaValue = await readPhotoForm(request, {
        field: 'meta',
        fieldAsFileMaxBytes: MAX_META_BYTES,
        maxPhotos: BANK_SUBMISSION_LIMITS.maxPhotos,
        onPhoto: async (data) => {
          // Decoded one at a time as they arrive: memory holds normalised images, not 20
          // raw uploads.
          photos.push(await app.media.process(data));
        },
      });
      const { submission, created } = await bank.submit(request.user as User, {
        metaValue,
        photos,
      });
      return reply.code(created ? 201 : 200).send(submission);
    },
  );

  app.get(
    '/api/bank/submissions',
    {
      onRequest: contributors,
      schema: {
        tags,
        description:
          'Curators (specialist/admin) see every submission (their own with `mine=true`), ' +
          'agronomists their own.',
        querystring: BankSubmissionQuery,
        response: { 200: BankSubmissionList, ...errors },
      },
    },
    async (request) => ({ items: await bank.list(request.user as User, request.query) }),
  );

  app.get(
    '/api/bank/submissions/:id',
    {
      onRequest: contributors,
      schema: { tags, params: IdParams, response: { 200: BankSubmission, ...errors } },
    },
    async (request) => bank.get(request.user as User, request.params.id),
  );

  app.post(
    '/api/bank/submissions/:id/validate',
    {
      onRequest: curators,
      schema: {
        tags,
        params: IdParams,
        body: ValidateSubmissionBody,
        response: { 200: BankSubmission, ...errors },
      },
    },
    async (request) =>
      bank.validate(request.user as User, request.params.id, request.body.imageIds ?? null),
  );

  app.post(
    '/api/bank/submissions/:id/reject',
    {
      onRequest: curators,
      schema: {
        tags,
        params: IdParams,
        body: RejectSubmissionBody,
        response: { 200: BankSubmission, ...errors },
      },
    },
    async (request) =>
      bank.reject(
        request.user as User,
        request.params.id,
        request.body.reason,
        request.body.imageIds ?? null,
      ),
  );

  app.post(
    '/api/bank/submissions/:id/withdraw',
    {
      onRequest: curators,
      schema: {
        tags,
        description:
          'Validated photos (all, or `imageIds`) leave the bank with a reason for their author; ' +
          'a retraining is queued.',
        params: IdParams,
        body: WithdrawSubmissionBody,
        response: { 200: BankSubmission, ...errors },
      },
    },
    async (request) =>
      bank.withdraw(
        request.user as User,
        request.params.id,
        request.body.reason,
        request.body.imageIds ?? null,
      ),
  );

  app.get(
    '/api/bank/images/:id',
    {
      onRequest: contributors,
      schema: {
        tags,
        description: 'A submitted image, any status (curators, and the agronomist who sent it).',
        params: IdParams,
        querystring: EscalationPhotoQuery,
        response: { '4xx': ErrorBody },
      },
    },
    async (request, reply) => {
      const baseKey = await bank.imageKey(request.user as User, request.params.id);
      return sendPrivateImage(app.media, request, reply, baseKey, request.query.size);
    },
  );

  app.get(
    '/api/training-requests',
    {
      onRequest: curators,
      schema: { tags, response: { 200: TrainingRequestList, ...errors } },
    },
    async () => bank.trainingRequests(),
  );
};
export default routes;
