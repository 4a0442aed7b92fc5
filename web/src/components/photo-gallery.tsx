import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { EscalationPhoto } from '@phytodiag/api/contract';

/**
 * Case photos as buttons; activating one opens it full size in a modal <dialog> (focus trapped,
 * Escape closes, focus returns to the thumbnail: all native).
 */
export function PhotoGallery({ photos, label }: { photos: EscalationPhoto[]; label: string }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState<number | null>(null);
  const dialog = useRef<HTMLDialogElement>(null);

  useEffect(() => {
    const d = dialog.current;
    if (open !== null && d && !d.open) d.showModal();
  }, [open]);

  if (photos.length === 0) return null;
  const current = open === null ? null : photos[open];
  return (
    <>
      <ul className="photo-list" aria-label={label}>
        {photos.map((p, i) => (
          <li key={p.url}>
            <button
              type="button"
              className="thumb-btn"
              onClick={() => setOpen(i)}
              aria-label={t('lab.zoom', { n: i + 1, total: photos.length })}
            >
              <img src={p.thumbUrl} alt="" width={120} height={120} className="photo-thumb" />
            </button>
          </li>
        ))}
      </ul>
      <dialog
        ref={dialog}
        className="zoom"
        aria-label={t('lab.photoN', { n: (open ?? 0) + 1, total: photos.length })}
        onClose={() => setOpen(null)}
      >
        {current && (
          <>
            <img
              src={current.url}
              alt={t('lab.photoN', { n: (open ?? 0) + 1, total: photos.length })}
              width={current.width}
              height={current.height}
            />
            <div className="row wrap">
              {photos.length > 1 && (
                <button
                  type="button"
                  className="btn"
                  onClick={() => setOpen(((open ?? 0) + photos.length - 1) % photos.length)}
                >
                  {t('lab.prev')}
                </button>
              )}
              {photos.length > 1 && (
                <button
                  type="button"
                  className="btn"
                  onClick={() => setOpen(((open ?? 0) + 1) % photos.length)}
                >
                  {t('lab.next')}
                </button>
              )}
              <button type="button" className="btn primary" onClick={() => dialog.current?.close()}>
                {t('lab.closeZoom')}
              </button>
            </div>
          </>
        )}
      </dialog>
    </>
  );
}
