import fp from 'fastify-plugin';
import { createServices, type Services } from '../../services';

declare module 'fastify' {
  interface FastifyInstance {
    services: Services;
  }
}

export default fp(
  async (app) => {
    app.decorate(
      'services',
      createServices({
        config: app.config,
        db: app.db,
        repos: app.repos,
        media: app.media,
        log: app.log,
      }),
    );
    // Library answers are cached per revision while this subscription is live
    // (db.close() ends it).
    const library = app.services.library.cache;
    library.watch(await app.db.listen('library_changed', library.listener));
    // Pooled SMTP connections (alert e-mails) would otherwise keep the process alive.
    app.addHook('onClose', async () => app.services.mailer.close());
  },
  { name: 'services', dependencies: ['db', 'media'] },
);
