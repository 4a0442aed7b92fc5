import fp from 'fastify-plugin';
import { createDb } from '../../db/create-db';
import { migrate } from '../../db/migrate';
import type { Db } from '../../db/types';
import { createRepositories, type Repositories } from '../../repositories';

declare module 'fastify' {
  interface FastifyInstance {
    db: Db;
    repos: Repositories;
  }
}

/** Opens the database (PGlite or PostgreSQL), applies pending migrations, closes on shutdown. */
export default fp(
  async (app) => {
    const db = await createDb({
      ...app.config,
      onIdleError: (err) => app.log.warn({ err }, 'idle database connection lost'),
    });
    app.addHook('onClose', async () => {
      await db.close();
    });
    const { applied } = await migrate(db);
    if (applied.length > 0) app.log.info({ applied, db: db.kind }, 'migrations applied');
    app.decorate('db', db);
    app.decorate('repos', createRepositories(db));
  },
  { name: 'db' },
);
