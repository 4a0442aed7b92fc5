import fp from 'fastify-plugin';
import type { FastifyRequest } from 'fastify';
import { AppError } from '../../errors';
import { assertSafeJson } from '../../lib/json-guards';

/** Swagger UI serves its own assets under this prefix, with cache-busting query strings. */
const DOCS_PREFIX = '/api/docs';

function declaredQueryParameters(request: FastifyRequest): Set<string> {
  const schema = request.routeOptions.schema?.querystring as
    { properties?: Record<string, unknown> } | undefined;
  return new Set(Object.keys(schema?.properties ?? {}));
}

/**
 * Input checks that hold for every route, before any handler or database sees the request:
 * - JSON bodies: prototype poisoning refused (Fastify's parser), no NUL characters, bounded depth;
 * - /api query strings: only the parameters the route declares (a typo like `?lnag=en` is an
 *   error, not silently ignored).
 */
export default fp(
  async (app) => {
    const parseJson = app.getDefaultJsonParser('error', 'error');
    app.removeContentTypeParser('application/json');
    app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
      parseJson(request, body as string, (err, value) => {
        if (err) return done(err, undefined);
        try {
          assertSafeJson(value);
        } catch (guardError) {
          return done(guardError as Error, undefined);
        }
        return done(null, value);
      });
    });

    app.addHook('preValidation', async (request) => {
      if (!request.url.startsWith('/api/') || request.url.startsWith(DOCS_PREFIX)) return;
      const query = request.query as Record<string, unknown> | undefined;
      if (!query) return;
      const declared = declaredQueryParameters(request);
      const unknown = Object.keys(query).find((name) => !declared.has(name));
      if (unknown !== undefined) {
        throw new AppError('UNKNOWN_QUERY_PARAMETER', undefined, { name: unknown.slice(0, 50) });
      }
    });
  },
  { name: 'input-guards' },
);
