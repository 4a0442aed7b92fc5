import { deriveVariant, processImage, type ProcessedImage } from './image-processor';
import { VARIANTS, variantKey, type Variant } from './media-keys';
import type { MediaStore } from './media-store';

export interface StoredImage {
  key: string;
  sha256: string;
  width: number;
  height: number;
}

type StoredFile = NonNullable<Awaited<ReturnType<MediaStore['open']>>>;

/** The single entry point used for EVERY stored image (uploads and the seeded bank). */
export interface MediaService {
  readonly store: MediaStore;
  /**
   * Validate + normalise without storing (so a request can fail before any write). `sha256`:
   * sha256Hex(input) when the caller has computed it already, so it is not hashed twice.
   */
  process(input: Buffer, sha256?: string): Promise<ProcessedImage>;
  /**
   * Stores the full-size image. Its thumbnail and icon are derived on first request (open): an
   * upload pays only for what it needs, and most case photos are opened once, full size.
   */
  save(image: ProcessedImage): Promise<StoredImage>;
  /** process + save + every variant now: bank images, whose thumbnails every device fetches. */
  ingest(input: Buffer, sha256?: string): Promise<StoredImage>;
  /** A stored variant, derived from the full-size image if not made yet; null when absent. */
  open(baseKey: string, variant: Variant): Promise<StoredFile | null>;
  /** Deletes every variant of a base key (the caller checked that nothing references it). */
  remove(baseKey: string): Promise<void>;
}

async function readAll(store: MediaStore, key: string): Promise<Buffer | null> {
  const file = await store.open(key);
  if (!file) return null;
  const chunks: Buffer[] = [];
  for await (const chunk of file.stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

export function createMediaService(store: MediaStore): MediaService {
  const save = async (image: ProcessedImage): Promise<StoredImage> => {
    await store.put(variantKey(image.sha256, 'full'), image.full);
    return { key: image.sha256, sha256: image.sha256, width: image.width, height: image.height };
  };

  /** Writes `variant` of `baseKey` from its full-size image; false when there is none. */
  const derive = async (baseKey: string, variant: 'thumb' | 'icon'): Promise<boolean> => {
    const full = await readAll(store, variantKey(baseKey, 'full'));
    if (!full) return false;
    await store.put(variantKey(baseKey, variant), await deriveVariant(full, variant));
    return true;
  };
  // Concurrent first requests for one variant share a single derivation.
  const deriving = new Map<string, Promise<boolean>>();
  const ensure = (baseKey: string, variant: 'thumb' | 'icon'): Promise<boolean> => {
    const key = variantKey(baseKey, variant);
    let running = deriving.get(key);
    if (!running) {
      running = derive(baseKey, variant).finally(() => deriving.delete(key));
      deriving.set(key, running);
    }
    return running;
  };

  return {
    store,
    process: processImage,
    save,
    async ingest(input, sha256) {
      const stored = await save(await processImage(input, sha256));
      await Promise.all([ensure(stored.key, 'thumb'), ensure(stored.key, 'icon')]);
      return stored;
    },
    async open(baseKey, variant) {
      const key = variantKey(baseKey, variant);
      const found = await store.open(key);
      if (found || variant === 'full') return found;
      return (await ensure(baseKey, variant)) ? store.open(key) : null;
    },
    remove: async (baseKey) => {
      const variants = Object.keys(VARIANTS) as Variant[];
      await Promise.all(variants.map((v) => store.delete(variantKey(baseKey, v))));
    },
  };
}
