import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../errors';
import { VARIANTS, variantKey, type Variant } from './media-keys';
import type { MediaService } from './media-service';

/**
 * Streams one stored variant. `cacheControl` is the caller's privacy decision: `public` for the
 * image bank, `private` for a producer's photos (never kept by shared caches or CDNs).
 * The caller has already decided that this request may see this image.
 */
export async function sendStoredImage(
  media: MediaService,
  request: FastifyRequest,
  reply: FastifyReply,
  image: { baseKey: string; variant: Variant; cacheControl: string },
): Promise<FastifyReply> {
  const key = variantKey(image.baseKey, image.variant);
  const file = await media.open(image.baseKey, image.variant);
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

/**
 * A private image (a producer's case or thread photo, a pending bank submission) at the size the
 * `?size=` query asked for. `no-store`: a farm's photos must not stay in the disk cache of a
 * shared computer after sign-out; the offline case history is the service worker's copy, which
 * sign-out erases. The caller has already decided that this request may see this image.
 */
export function sendPrivateImage(
  media: MediaService,
  request: FastifyRequest,
  reply: FastifyReply,
  baseKey: string,
  size: 'full' | 'thumb' | undefined,
): Promise<FastifyReply> {
  return sendStoredImage(media, request, reply, {
    baseKey,
    variant: size === 'thumb' ? 'thumb' : 'full',
    cacheControl: 'private, no-store',
  });
}
