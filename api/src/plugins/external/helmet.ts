import fp from 'fastify-plugin';
import helmet from '@fastify/helmet';

/**
 * Security headers. The CSP is the PWA's real needs: WASM compilation for the TF.js backend
 * ('wasm-unsafe-eval', not 'unsafe-eval'), blob: workers, camera captures shown as blob: URLs.
 * script-src blob: because the threaded WASM backend's pthread workers importScripts() a blob: copy
 * of the Emscripten factory; without it TF.js silently falls back to one thread.
 * COOP + COEP make the page cross-origin isolated (SharedArrayBuffer → WASM threads); every
 * resource is same-origin so require-corp costs nothing.
 */
export default fp(
  async (app) => {
    await app.register(helmet, {
      contentSecurityPolicy: {
        useDefaults: false,
        directives: {
          defaultSrc: ["'self'"],
          scriptSrc: ["'self'", "'wasm-unsafe-eval'", 'blob:'],
          workerSrc: ["'self'", 'blob:'],
          imgSrc: ["'self'", 'blob:', 'data:'],
          connectSrc: ["'self'"],
          styleSrc: ["'self'", "'unsafe-inline'"],
          manifestSrc: ["'self'"],
          fontSrc: ["'self'", 'data:'],
          objectSrc: ["'none'"],
          baseUri: ["'self'"],
          formAction: ["'self'"],
          frameAncestors: ["'none'"],
        },
      },
      crossOriginOpenerPolicy: { policy: 'same-origin' },
      crossOriginEmbedderPolicy: { policy: 'require-corp' },
      crossOriginResourcePolicy: { policy: 'same-origin' },
    });
  },
  { name: 'helmet' },
);
