import { useState } from 'react';
import { useTranslation } from 'react-i18next';
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

/**
 * Shows the offline copy (Blob in IndexedDB) when there is one, else the URL (SW-cached). Offline
 * without either, a labelled placeholder of the same size rather than a broken image.
 */
export function LibraryImage({
  url,
  alt,
  size = 160,
}: {
  url: string;
  alt: string;
  size?: number;
}) {
  const { t } = useTranslation();
  const row = useLiveQuery(() => db.libraryImages.get(url), [url]);
  const src = row ? objectUrl(row.blob) : url;
  const [failed, setFailed] = useState<string | null>(null);
  if (failed === src) {
    return (
      <span
        className="ref-img ref-img-missing"
        role="img"
        aria-label={
          alt ? t('library.photoUnavailableOf', { name: alt }) : t('library.photoUnavailable')
        }
        style={{ width: size, height: size }}
      >
        {t('library.photoUnavailable')}
      </span>
    );
  }
  return (
    <img
      src={src}
      alt={alt}
      width={size}
      height={size}
      className="ref-img"
      loading="lazy"
      onError={() => setFailed(src)}
    />
  );
}

/** Thumbnail of a photo Blob kept in memory/IndexedDB. */
export function BlobImage({ blob, alt, size = 120 }: { blob: Blob; alt: string; size?: number }) {
  return <img src={objectUrl(blob)} alt={alt} width={size} height={size} className="photo-thumb" />;
}
