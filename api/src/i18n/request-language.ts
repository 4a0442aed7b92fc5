import type { FastifyRequest } from 'fastify';
import type { Language } from '../contract/common';

const SUPPORTED: readonly Language[] = ['fr', 'en'];

/** Best supported language of an Accept-Language header (q-values honoured), else null. */
export function fromAcceptLanguage(header: string | undefined): Language | null {
  if (!header) return null;
  const ranked = header
    .split(',')
    .map((part, index) => {
      const [tag = '', ...params] = part.trim().split(';');
      const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
      return {
        base: tag.trim().toLowerCase().split('-')[0] ?? '',
        q: q ? Number(q.slice(2)) : 1,
        index,
      };
    })
    .filter((l) => Number.isFinite(l.q) && l.q > 0)
    .sort((a, b) => b.q - a.q || a.index - b.index);
  return (ranked.find((l) => (SUPPORTED as string[]).includes(l.base))?.base as Language) ?? null;
}

/** Signed-in user's language, else Accept-Language, else French. */
export function requestLanguage(request: FastifyRequest): Language {
  return request.user?.language ?? fromAcceptLanguage(request.headers['accept-language']) ?? 'fr';
}
