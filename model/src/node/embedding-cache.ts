// On-disk embedding cache keyed by (backbone hash, image sha256, augmentation id): a retrain only
// runs the backbone on images (or augmentations) it has never seen.
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export class EmbeddingCache {
  constructor(
    private readonly root: string,
    private readonly backboneHash: string,
  ) {}

  private file(sha: string, aug: string): string {
    return join(
      this.root,
      'embeddings',
      this.backboneHash.slice(0, 16),
      sha.slice(0, 2),
      `${sha}.${aug}.f32`,
    );
  }

  async get(sha: string, aug: string): Promise<Float32Array | null> {
    try {
      const buf = await readFile(this.file(sha, aug));
      // Any length: the backbone hash in the path fixes the extractor, hence the vector size.
      if (buf.byteLength === 0 || buf.byteLength % 4 !== 0) return null;
      return new Float32Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength));
    } catch {
      return null;
    }
  }

  async set(sha: string, aug: string, embedding: Float32Array): Promise<void> {
    const file = this.file(sha, aug);
    await mkdir(join(file, '..'), { recursive: true });
    // Write-then-rename so an interrupted run never leaves a truncated entry.
    const tmp = `${file}.${process.pid}.tmp`;
    await writeFile(
      tmp,
      new Uint8Array(embedding.buffer, embedding.byteOffset, embedding.byteLength),
    );
    await rename(tmp, file);
  }
}
