import fp from 'fastify-plugin';
import { createDiskMediaStore } from '../../media/media-store';
import { createMediaService, type MediaService } from '../../media/media-service';

declare module 'fastify' {
  interface FastifyInstance {
    media: MediaService;
  }
}

export default fp(
  async (app) => {
    app.decorate('media', createMediaService(createDiskMediaStore(app.config.mediaDir)));
  },
  { name: 'media' },
);
