import fp from 'fastify-plugin';
import { createDiskMediaStore, type MediaStore } from '../../media/media-store';
import { createMediaService, type MediaService } from '../../media/media-service';

declare module 'fastify' {
  interface FastifyInstance {
    media: MediaService;
  }
}

export default fp<{ store?: MediaStore }>(
  async (app, opts) => {
    const store = opts.store ?? createDiskMediaStore(app.config.mediaDir);
    app.decorate('media', createMediaService(store));
  },
  { name: 'media' },
);
