import fp from 'fastify-plugin';
import helmet from '@fastify/helmet';

/**
 * Security headers. The CSP is the PWA's real needs: WASM compilation for the TF.js backend
 * ('wasm-unsafe-eval', not 'unsafe-eval'), blob: workers, camera captures shown as blob: URLs.
 * script-src blob: because the threaded WASM backend's pthread workers importScripts() a blob: copy
 * of the Emscripten factory; without it TF.js silently falls back to one thread.
 * COOP + COEP make the page cross-origin isolated (SharedArrayBuffer → WASM threads); every
 * resource is same-origin so require-corp costs nothing.
 *
 * Three headers helmet does not set the way a personal-data app needs:
 * - Strict-Transport-Security only on HTTPS (behind a proxy: TRUST_PROXY, so X-Forwarded-Proto
 *   counts). On plain HTTP it means nothing to a browser and misleads whoever audits the headers.
 * - Permissions-Policy: the app uses the camera (photo capture) and, with consent, the location;
 *   nothing else, and no embedded frame may ask for either.
 * - Cache-Control: an /api answer to a signed-in request (their cases, phone number, location)
 *   must not stay in the browser's disk cache of a shared farm computer. Routes that set their
 *   own policy (public library, model files, maps) keep it. The service worker's offline copies
 *   are separate, and are erased at sign-out.
 */
const PERMISSIONS_POLICY = [
  'camera=(self)',
  'geolocation=(self)',
  'microphone=()',
  'display-capture=()',
  'payment=()',
  'usb=()',
  'serial=()',
  'bluetooth=()',
  'accelerometer=()',
  'gyroscope=()',
  'magnetometer=()',
].join(', ');
const HSTS = 'max-age=31536000; includeSubDomains';

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
      strictTransportSecurity: false,
    });
    app.addHook('onSend', async (request, reply, payload) => {
      reply.header('permissions-policy', PERMISSIONS_POLICY);
      if (request.protocol === 'https') reply.header('strict-transport-security', HSTS);
      if (request.user && request.url.startsWith('/api/') && !reply.hasHeader('cache-control'))
        reply.header('cache-control', 'private, no-store');
      return payload;
    });
  },
  // request.user is set by the auth plugin's onRequest hook, registered later but run earlier.
  { name: 'helmet' },
);
