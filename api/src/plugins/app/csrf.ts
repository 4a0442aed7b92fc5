import fp from 'fastify-plugin';
import type { FastifyRequest } from 'fastify';
import { AppError } from '../../errors';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Fetch Metadata values a browser sends for requests our own pages did not make. */
const FOREIGN_SITES = new Set(['cross-site', 'same-site']);

function ownOrigin(request: FastifyRequest): string {
  // request.host / protocol honour X-Forwarded-* only when TRUST_PROXY is configured.
  return `${request.protocol}://${request.host}`.toLowerCase();
}

/** Why an unsafe request must be refused, or null when it may proceed. */
export function csrfVerdict(request: FastifyRequest): string | null {
  const site = request.headers['sec-fetch-site'];
  if (typeof site === 'string' && FOREIGN_SITES.has(site.toLowerCase())) {
    return `sec-fetch-site ${site}`;
  }
  const origin = request.headers.origin;
  if (origin !== undefined && origin.toLowerCase() !== ownOrigin(request)) {
    return 'origin mismatch';
  }
  return null;
}

/**
 * CSRF defence for cookie-authenticated writes, on top of SameSite=Lax: an unsafe /api request
 * that a browser marks as coming from another site (Sec-Fetch-Site) or another origin (Origin)
 * is refused with 403 CSRF_REJECTED. Requests without those headers come from non-browser
 * clients (curl, tests, server-to-server), which cannot ride on a victim's cookie, and proceed.
 * Applies to login and register too (login CSRF would sign the victim into the attacker's account).
 */
export default fp(
  async (app) => {
    app.addHook('onRequest', async (request) => {
      if (SAFE_METHODS.has(request.method) || !request.url.startsWith('/api/')) return;
      const reason = csrfVerdict(request);
      if (reason) {
        request.log.warn({ reason, method: request.method }, 'cross-site request refused');
        throw new AppError('CSRF_REJECTED');
      }
    });
  },
  { name: 'csrf' },
);
