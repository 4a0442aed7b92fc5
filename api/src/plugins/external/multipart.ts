import fp from 'fastify-plugin';
import multipart from '@fastify/multipart';
import { ESCALATION_LIMITS } from '../../contract/escalation';

/** Upload limits: hitting one is an error (mapped to a stable code by the error handler). */
export default fp(
  async (app) => {
    await app.register(multipart, {
      limits: {
        fileSize: ESCALATION_LIMITS.maxPhotoBytes,
        // Defaults for any multipart route; the photo routes set their own counts through
        // media/read-photo-form, which reports one photo too many as TOO_MANY_PHOTOS.
        files: ESCALATION_LIMITS.maxPhotos + 1,
        fields: 10,
        fieldSize: 64 * 1024,
        parts: ESCALATION_LIMITS.maxPhotos + 10,
        headerPairs: 200,
      },
    });
  },
  { name: 'multipart' },
);
