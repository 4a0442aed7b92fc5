import { existsSync } from 'node:fs';
import { join } from 'node:path';
import fp from 'fastify-plugin';
import fastifyStatic from '@fastify/static';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { sendError } from '../../plugins/app/error-handler';
import { PLACEHOLDER_HTML } from './placeholder';

/** Paths that are never the SPA: unknown ones get a JSON 404. */
const NON_SPA = /^\/(api|images|models)(\/|\?|$)/;

/** Must revalidate so a new deployment is picked up (the service worker handles offline). */
const NO_CACHE = new Set(['index.html', 'sw.js', 'registerSW.js', 'manifest.webmanifest']);

/**
 * Serves the built PWA (WEB_DIST_DIR) with an SPA fallback, and answers every other unknown
 * route with the JSON error body. Registered with fastify-plugin: the not-found handler is global.
 */
export default fp(
  async (app) => {
    const root = app.config.webDistDir;
    const hasPwa = existsSync(join(root, 'index.html'));

    if (hasPwa) {
      await app.register(fastifyStatic, {
        root,
        wildcard: true,
        index: ['index.html'],
        cacheControl: false,
        setHeaders(res, path) {
          const name = path.split(/[\\/]/).pop() ?? '';
          const immutable = /[\\/]assets[\\/]/.test(path);
          res.setHeader(
            'cache-control',
            NO_CACHE.has(name) || !immutable ? 'no-cache' : 'public, max-age=31536000, immutable',
          );
        },
      });
    } else {
      app.get('/', { schema: { hide: true } }, async (_req, reply) =>
        reply
          .type('text/html; charset=utf-8')
          .header('cache-control', 'no-cache')
          .send(PLACEHOLDER_HTML),
      );
    }

    const sendShell = (reply: FastifyReply) =>
      hasPwa
        ? reply.header('cache-control', 'no-cache').sendFile('index.html')
        : reply
            .type('text/html; charset=utf-8')
            .header('cache-control', 'no-cache')
            .send(PLACEHOLDER_HTML);

    app.setNotFoundHandler((request: FastifyRequest, reply: FastifyReply) => {
      const wantsHtml = (request.headers.accept ?? '').includes('text/html');
      if (
        (request.method === 'GET' || request.method === 'HEAD') &&
        wantsHtml &&
        !NON_SPA.test(request.url)
      ) {
        return sendShell(reply);
      }
      return sendError(request, reply, 'NOT_FOUND', 404);
    });
  },
  { name: 'web' },
);
