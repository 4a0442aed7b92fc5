import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { AppError } from '../../errors';
import { parsePublicKey } from '../../media/media-keys';
import { sendStoredImage } from '../../media/send-image';

/**
 * The public image bank. Producers' escalation photos live in the same content-addressed store
 * but are NOT public: only keys of validated bank images are served here (the others answer 404,
 * exactly like a key that does not exist); escalation photos go through
 * /api/escalations/:id/photos/:position, which checks who is asking.
 */
const routes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/images/:key',
    { schema: { hide: true, params: Type.Object({ key: Type.String({ maxLength: 80 }) }) } },
    async (request, reply) => {
      // Only keys matching our exact shape reach the store: no path traversal possible.
      const parsed = parsePublicKey(request.params.key);
      if (!parsed || !(await app.repos.bankImages.isPublic(parsed.baseKey))) {
        throw new AppError('NOT_FOUND');
      }
      return sendStoredImage(app.media, request, reply, {
        ...parsed,
        cacheControl: 'public, max-age=31536000, immutable',
      });
    },
  );
};
export default routes;
