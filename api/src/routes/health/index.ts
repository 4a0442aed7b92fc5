import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Health } from '../../contract/health';

const routes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/api/health', { schema: { tags: ['system'], response: { 200: Health } } }, async () => {
    await app.repos.system.ping();
    const version = await app.services.model.currentVersion();
    return { status: 'ok' as const, db: app.db.kind, model: version ? { version } : null };
  });
};
export default routes;
