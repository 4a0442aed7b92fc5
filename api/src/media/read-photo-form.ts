import type { FastifyRequest } from 'fastify';
import { AppError, aboutPhoto } from '../errors';

export interface PhotoFormOptions {
  /** Name of the one text field (`case`, `meta`, `body`); other text fields are ignored. */
  field: string;
  /**
   * When set, the field may also arrive as a file part of at most this many bytes:
   * `form.append('case', new Blob([json], { type: 'application/json' }))` is sent as a file.
   */
  fieldAsFileMaxBytes?: number;
  /** Most `photo` parts this route takes; one more is TOO_MANY_PHOTOS naming this number. */
  maxPhotos: number;
  /** Called with each `photo` file part as it arrives (e.g. to decode them one at a time). */
  onPhoto(data: Buffer): Promise<void> | void;
  /** Text fields read besides `field` (a message's `clientId`); the rest are ignored. */
  otherFields?: Record<string, (value: string) => void>;
}

/**
 * Reads a multipart form of `photo` file parts and one text field, in any order, for every route
 * that takes photos. Not multipart → UNSUPPORTED_MEDIA_TYPE; a file part with another name →
 * BAD_REQUEST; an over-long field → PAYLOAD_TOO_LARGE. Returns the field's value, if sent.
 */
export async function readPhotoForm(
  request: FastifyRequest,
  options: PhotoFormOptions,
): Promise<unknown> {
  if (!request.isMultipart()) throw new AppError('UNSUPPORTED_MEDIA_TYPE');
  // Without a boundary the parser throws a bare Error (a 500): the request is malformed.
  if (!/;\s*boundary=/i.test(request.headers['content-type'] ?? '')) {
    throw new AppError('BAD_REQUEST');
  }
  let value: unknown;
  let photos = 0;
  const tooMany = () => new AppError('TOO_MANY_PHOTOS', undefined, { max: options.maxPhotos });
  // Room for one photo too many (so it is counted here, with the route's number) and the field
  // sent as a file; the plugin's limit beyond that only cuts a hostile stream short.
  const parts = request.parts({
    limits: { files: options.maxPhotos + 2, parts: options.maxPhotos + 10 },
  });
  try {
    for await (const part of parts) {
      if (part.type === 'file') {
        // Always drain the part: toBuffer enforces the per-file size limit.
        const data = await part.toBuffer();
        if (part.fieldname === 'photo') {
          photos += 1;
          if (photos > options.maxPhotos) throw tooMany();
          try {
            await options.onPhoto(data);
          } catch (err) {
            throw aboutPhoto(err, photos);
          }
        } else if (part.fieldname === options.field && options.fieldAsFileMaxBytes !== undefined) {
          if (data.length > options.fieldAsFileMaxBytes) throw new AppError('PAYLOAD_TOO_LARGE');
          value = data.toString('utf8');
        } else throw new AppError('BAD_REQUEST');
      } else if (part.fieldname === options.field) {
        if (part.valueTruncated) throw new AppError('PAYLOAD_TOO_LARGE');
        value = part.value;
      } else if (Object.hasOwn(options.otherFields ?? {}, part.fieldname)) {
        if (part.valueTruncated) throw new AppError('PAYLOAD_TOO_LARGE');
        options.otherFields?.[part.fieldname]?.(String(part.value));
      }
    }
  } catch (err) {
    // The plugin's own count, reached by a stream of files under other names.
    if ((err as { code?: string }).code === 'FST_FILES_LIMIT') throw tooMany();
    // A body cut short or badly framed (a rural connection dropping mid-upload): the client's
    // request is bad, not the server (busboy throws plain Errors, with no code, for these).
    if (!(err instanceof AppError) && isMalformedMultipart(err)) throw new AppError('BAD_REQUEST');
    throw err;
  }
  return value;
}

/** busboy's words for a multipart body that ended early or is not multipart at all. */
function isMalformedMultipart(err: unknown): boolean {
  return (
    err instanceof Error &&
    /terminated early|Premature close|Unexpected end of multipart|Boundary not found|Boundary required/i.test(
      err.message,
    )
  );
}
