import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../errors';
import { VARIANTS, variantKey, type Variant } from './media-keys';
import type { MediaStore } from './media-store';

/**
 * Streams one stored variant. `cacheControl` is the caller's privacy decision: `public` for the
 * image bank, `private` for a producer's photos (never kept by shared caches or CDNs).
 * The caller has already decided that this request may see this image.
 */
export async function sendStoredImage(
  store: MediaStore,
  request: FastifyRequest,
  reply: FastifyReply,
  image: { baseKey: string; variant: Variant; cacheControl: string },
): Promise<FastifyReply> {
  const key = variantKey(image.baseKey, image.variant);
  const file = await store.open(key);
  if (!file) throw new AppError('NOT_FOUND');
  // Content-addressed: the same key always has the same bytes.
  const etag = `"${key}"`;
  reply.header('cache-control', image.cacheControl).header('etag', etag);
  if (request.headers['if-none-match'] === etag) {
    file.stream.destroy();
    return reply.code(304).send();
  }
  return reply
    .type(VARIANTS[image.variant].contentType)
    .header('content-length', file.size)
    .send(file.stream);
}
