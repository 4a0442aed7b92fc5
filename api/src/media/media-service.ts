import { processImage, type ProcessedImage } from './image-processor';
import { VARIANTS, variantKey, type Variant } from './media-keys';
import type { MediaStore } from './media-store';

export interface StoredImage {
  key: string;
  sha256: string;
  width: number;
  height: number;
}

/** The single entry point used for EVERY stored image (uploads and the seeded bank). */
export interface MediaService {
  readonly store: MediaStore;
  /**
   * Validate + normalise without storing (so a request can fail before any write). `sha256`:
   * sha256Hex(input) when the caller has computed it already, so it is not hashed twice.
   */
  process(input: Buffer, sha256?: string): Promise<ProcessedImage>;
  save(image: ProcessedImage): Promise<StoredImage>;
  ingest(input: Buffer, sha256?: string): Promise<StoredImage>;
  /** Deletes every variant of a base key (the caller checked that nothing references it). */
  remove(baseKey: string): Promise<void>;
}

export function createMediaService(store: MediaStore): MediaService {
  const save = async (image: ProcessedImage): Promise<StoredImage> => {
    const variants: [Variant, Buffer][] = [
      ['full', image.full],
      ['thumb', image.thumb],
      ['icon', image.icon],
    ];
    await Promise.all(variants.map(([v, data]) => store.put(variantKey(image.sha256, v), data)));
    return { key: image.sha256, sha256: image.sha256, width: image.width, height: image.height };
  };
  return {
    store,
    process: processImage,
    save,
    ingest: async (input, sha256) => save(await processImage(input, sha256)),
    remove: async (baseKey) => {
      const variants = Object.keys(VARIANTS) as Variant[];
      await Promise.all(variants.map((v) => store.delete(variantKey(baseKey, v))));
    },
  };
}
