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
    // Pooled SMTP connections (alert e-mails) would otherwise keep the process alive.
    app.addHook('onClose', async () => app.services.mailer.close());
  },
  { name: 'services', dependencies: ['db', 'media'] },
);
