import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { ErrorBody, IdParams } from '../../contract/common';
import { DeleteAccountBody, LocationAccessList, PrivacyTerms } from '../../contract/surveillance';
import type { User } from '../../contract/user';
import { requestLanguage } from '../../i18n/request-language';
import { passwordCheckRateLimit } from '../../plugins/external/rate-limit';

/** The saved file's name, in the person's language. */
const EXPORT_NAME = { fr: 'phytodiag-mes-donnees', en: 'phytodiag-my-data' } as const;

const errors = { '4xx': ErrorBody };

/** The person's data: export, account deletion, and who viewed their cases' exact location. */
const routes: FastifyPluginAsyncTypebox = async (app) => {
  const privacy = app.services.privacy;

  app.get(
    '/api/public/privacy-terms',
    {
      schema: {
        tags: ['public', 'privacy'],
        description: 'How long personal data is kept here (RETENTION_*), for the privacy notice.',
        response: { 200: PrivacyTerms },
      },
    },
    async (_request, reply) => {
      reply.header('cache-control', 'public, max-age=3600');
      return { retention: app.config.retention };
    },
  );

  app.get(
    '/api/privacy/export',
    {
      onRequest: app.authenticate,
      schema: {
        tags: ['privacy'],
        description:
          'A JSON attachment with everything stored about the signed-in person (never credentials).',
        response: { 200: Type.Unknown(), ...errors },
      },
    },
    async (request, reply) => {
      const data = await privacy.exportData(request.user as User);
      const day = data.exportedAt.slice(0, 10);
      const name = EXPORT_NAME[requestLanguage(request)];
      return reply
        .header('content-disposition', `attachment; filename="${name}-${day}.json"`)
        .header('cache-control', 'no-store')
        .type('application/json; charset=utf-8')
        .send(data);
    },
  );

  app.post(
    '/api/privacy/delete',
    {
      onRequest: app.authenticate,
      config: { rateLimit: passwordCheckRateLimit(app.config.loginRateLimitMax) },
      schema: {
        tags: ['privacy'],
        description:
          'Deletes the account and its data (password required; 403 WRONG_PASSWORD). An account whose work is part of other cases or of the image bank keeps an anonymised row for those records.',
        body: DeleteAccountBody,
        response: { 204: { type: 'null' }, ...errors },
      },
    },
    async (request, reply) => {
      await privacy.deleteAccount(request.user as User, request.body.password);
      app.clearSessionCookie(reply);
      return reply.code(204).send();
    },
  );

  app.get(
    '/api/escalations/:id/location-access',
    {
      onRequest: app.authenticate,
      schema: {
        tags: ['privacy'],
        description:
          'Who among the lab staff viewed the exact location of this case (owner, admin).',
        params: IdParams,
        response: { 200: LocationAccessList, ...errors },
      },
    },
    async (request) => privacy.locationAccess(request.user as User, request.params.id),
  );
};
export default routes;
