import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { ErrorBody, Uuid } from '../../contract/common';
import { ESCALATION_LIMITS, EscalationPhotoQuery } from '../../contract/escalation';
import { sendPrivateImage } from '../../media/send-image';

const Params = Type.Object({
  id: Uuid,
  position: Type.Integer({ minimum: 0, maximum: ESCALATION_LIMITS.maxPhotos * 4 }),
});

/**
 * A producer's photos are personal data (their field, sometimes their face or house): served
 * only to the case owner and lab staff, never cached by shared caches. Anonymous requests get
 * 404 like strangers do: a photo URL reveals nothing to whoever finds it.
 */
const routes: FastifyPluginAsyncTypebox = async (app) => {
  const escalations = app.services.escalations;

  app.get(
    '/api/escalations/:id/photos/:position',
    {
      schema: {
        tags: ['escalations'],
        description:
          'One photo of a case (full JPEG, or `?size=thumb` for the 320px WebP). Owner and specialists/admins only; 404 for anyone else.',
        params: Params,
        querystring: EscalationPhotoQuery,
        response: { '4xx': ErrorBody },
      },
    },
    async (request, reply) => {
      const baseKey = await escalations.photoKey(
        request.user,
        request.params.id,
        request.params.position,
      );
      return sendPrivateImage(app.media, request, reply, baseKey, request.query.size);
    },
  );
};
export default routes;
