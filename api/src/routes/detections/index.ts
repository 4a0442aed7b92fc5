import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { ErrorBody } from '../../contract/common';
import { DetectionBatch, DetectionBatchResult } from '../../contract/surveillance';
import type { User } from '../../contract/user';

/** Batches per minute and per user: an outbox flush after days offline is a few batches. */
export const DETECTION_BATCHES_PER_MINUTE = 30;

const routes: FastifyPluginAsyncTypebox = async (app) => {
  app.post(
    '/api/detections',
    {
      onRequest: app.authenticate,
      config: {
        rateLimit: {
          max: DETECTION_BATCHES_PER_MINUTE,
          timeWindow: '1 minute',
          // After authentication: counted per person, not per farm office behind one address.
          hook: 'preHandler',
          groupId: 'detections',
          keyGenerator: (request) => request.user?.id ?? request.ip,
        },
      },
      schema: {
        tags: ['surveillance'],
        description:
          'On-device diagnoses (no coordinates), with the shareDetections consent. Idempotent by ' +
          'clientId; all or nothing (one invalid item refuses the batch).',
        body: DetectionBatch,
        response: { 200: DetectionBatchResult, '4xx': ErrorBody },
      },
    },
    async (request) => app.services.detections.report(request.user as User, request.body),
  );
};
export default routes;
