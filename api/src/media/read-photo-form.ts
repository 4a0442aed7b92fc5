import type { FastifyRequest } from 'fastify';
import { AppError } from '../errors';

export interface PhotoFormOptions {
  /** Name of the one text field (`case`, `meta`, `body`); other text fields are ignored. */
  field: string;
  /**
   * When set, the field may also arrive as a file part of at most this many bytes:
   * `form.append('case', new Blob([json], { type: 'application/json' }))` is sent as a file.
   */
  fieldAsFileMaxBytes?: number;
  /** Limits for this route on top of the multipart plugin's. */
  limits?: { files?: number; parts?: number };
  /** Called with each `photo` file part as it arrives (e.g. to decode them one at a time). */
  onPhoto(data: Buffer): Promise<void> | void;
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
  let value: unknown;
  const parts = options.limits ? request.parts({ limits: options.limits }) : request.parts();
  for await (const part of parts) {
    if (part.type === 'file') {
      // Always drain the part: toBuffer enforces the per-file size limit.
      const data = await part.toBuffer();
      if (part.fieldname === 'photo') await options.onPhoto(data);
      else if (part.fieldname === options.field && options.fieldAsFileMaxBytes !== undefined) {
        if (data.length > options.fieldAsFileMaxBytes) throw new AppError('PAYLOAD_TOO_LARGE');
        value = data.toString('utf8');
      } else throw new AppError('BAD_REQUEST');
    } else if (part.fieldname === options.field) {
      if (part.valueTruncated) throw new AppError('PAYLOAD_TOO_LARGE');
      value = part.value;
    }
  }
  return value;
}
