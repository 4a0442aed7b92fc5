import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { AppError } from '../../errors';
import { parsePublicKey } from '../../media/media-keys';
import { sendStoredImage } from '../../media/send-image';

/**
 * A bank photo's bytes never change under its key, but the photo may leave the bank: a curator
 * withdraws it, or its owner withdraws the consent to reuse it (Law 25). A day, not a year
 * (`immutable`): a proxy or a browser's disk cache stops holding it within a day, and asks again
 * with its ETag (a cheap 304 while it stays public, a 404 once withdrawn). The app's offline copy
 * is the service worker's, which the library sync prunes.
 */
export const BANK_IMAGE_CACHE_CONTROL = 'public, max-age=86400';

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
        cacheControl: BANK_IMAGE_CACHE_CONTROL,
      });
    },
  );
};
export default routes;
