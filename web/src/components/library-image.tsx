import { useLiveQuery } from 'dexie-react-hooks';
import { db } from '../db/db';

// One object URL per Blob for the page's lifetime: Blobs here are few (≤ 5 photos per case,
// library thumbnails) and revoking on unmount breaks images that React re-mounts.
const urls = new WeakMap<Blob, string>();
function objectUrl(blob: Blob): string {
  let u = urls.get(blob);
  if (!u) {
    u = URL.createObjectURL(blob);
    urls.set(blob, u);
  }
  return u;
}

/** Shows the offline copy (Blob in IndexedDB) when there is one, else the URL (SW-cached). */
export function LibraryImage({
  url,
  alt,
  size = 160,
}: {
  url: string;
  alt: string;
  size?: number;
}) {
  const row = useLiveQuery(() => db.libraryImages.get(url), [url]);
  const src = row ? objectUrl(row.blob) : url;
  return <img src={src} alt={alt} width={size} height={size} className="ref-img" loading="lazy" />;
}

/** Thumbnail of a photo Blob kept in memory/IndexedDB. */
export function BlobImage({ blob, alt, size = 120 }: { blob: Blob; alt: string; size?: number }) {
  return <img src={objectUrl(blob)} alt={alt} width={size} height={size} className="photo-thumb" />;
}
