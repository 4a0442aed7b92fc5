import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { BlobImage } from '../components/library-image';
import { ESCALATION_PHOTO_MAX } from '../lab/limits';
import { readPhotoMeta, type PhotoMeta } from './exif';
import { preparePicked, PickedRefusals } from './prepare-picked';
import { preparePhoto } from './prepare-photo';

export interface Photo {
  blob: Blob;
  meta: PhotoMeta;
}

interface Props {
  photos: Photo[];
  onChange: (photos: Photo[]) => void;
  idPrefix: string;
  /** True while picked photos are being prepared: the form's action waits, or goes without them. */
  onPreparing?: (preparing: boolean) => void;
}

export function PhotoPicker({ photos, onChange, idPrefix, onPreparing }: Props) {
  const { t } = useTranslation();
  const [cameraOn, setCameraOn] = useState(false);
  const [cameraError, setCameraError] = useState(false);
  const full = photos.length >= ESCALATION_PHOTO_MAX;
  const onCameraError = useCallback(() => {
    setCameraOn(false);
    setCameraError(true);
  }, []);
  const hasCamera = typeof navigator.mediaDevices?.getUserMedia === 'function';

  /** Files the browser could not read, and photos too small to show anything, until next pick. */
  const [unreadable, setUnreadable] = useState<string[]>([]);
  const [tooSmall, setTooSmall] = useState<string[]>([]);

  // Preparing a photo takes a moment: a second pick may finish first, so each appends to the
  // photos as they are when it completes, not as they were when it started.
  const latest = useRef(photos);
  useEffect(() => {
    latest.current = photos;
  }, [photos]);

  const [preparing, setPreparing] = useState(0);
  useEffect(() => onPreparing?.(preparing > 0), [preparing, onPreparing]);
  function addNow(blobs: Blob[]) {
    setPreparing((n) => n + 1);
    void add(blobs).finally(() => setPreparing((n) => n - 1));
  }

  async function add(blobs: Blob[]) {
    const picked = await preparePicked(
      blobs,
      ESCALATION_PHOTO_MAX - photos.length,
      async (original): Promise<Photo> => {
        // Date and position come from the original's EXIF, which the smaller copy drops.
        const [meta, blob] = await Promise.all([readPhotoMeta(original), preparePhoto(original)]);
        return { blob, meta };
      },
      (i) => t('capture.photoAlt', { n: photos.length + i + 1 }),
    );
    setUnreadable(picked.unreadable);
    setTooSmall(picked.tooSmall);
    const all = [...latest.current, ...picked.kept];
    latest.current = all.slice(0, ESCALATION_PHOTO_MAX);
    onChange(latest.current);
  }

  return (
    <div className="stack">
      <h2 id={`${idPrefix}-photos-h`}>{t('capture.photos', { count: photos.length })}</h2>
      <div className="row wrap">
        <label className={`btn big ${full ? 'disabled' : ''}`} htmlFor={`${idPrefix}-file`}>
          {t('capture.take')}
        </label>
        {/* No `capture` attribute: with it, phones open the camera straight away and a photo
            already taken cannot be chosen from the gallery; without it they offer both, and
            « Ouvrir l'appareil photo » below is the camera in the page. */}
        <input
          id={`${idPrefix}-file`}
          className="visually-hidden"
          type="file"
          accept="image/*"
          multiple
          disabled={full}
          data-testid="photo-input"
          onChange={(e) => {
            const files = [...(e.target.files ?? [])];
            e.target.value = '';
            addNow(files);
          }}
        />
        {hasCamera && !cameraOn && (
          <button
            type="button"
            className="btn"
            disabled={full}
            onClick={() => {
              setCameraError(false);
              setCameraOn(true);
            }}
          >
            {t('capture.camera')}
          </button>
        )}
      </div>
      {full && <p>{t('capture.max')}</p>}
      {preparing > 0 && <p role="status">{t('capture.preparing')}</p>}
      <PickedRefusals unreadable={unreadable} tooSmall={tooSmall} />
      {cameraError && (
        <p className="notice warn" role="alert">
          {t('capture.cameraError')}
        </p>
      )}
      {cameraOn && (
        <LiveCamera
          onShot={(blob) => addNow([blob])}
          onClose={() => setCameraOn(false)}
          onError={onCameraError}
          disabled={full}
        />
      )}
      {photos.length > 0 && (
        <ul className="photo-list" aria-labelledby={`${idPrefix}-photos-h`}>
          {photos.map((p, i) => (
            <li key={i}>
              <BlobImage blob={p.blob} alt={t('capture.photoAlt', { n: i + 1 })} />
              <button
                type="button"
                className="btn small"
                onClick={() => onChange(photos.filter((_, j) => j !== i))}
              >
                {t('capture.remove', { n: i + 1 })}
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

function LiveCamera({
  onShot,
  onClose,
  onError,
  disabled,
}: {
  onShot: (b: Blob) => void;
  onClose: () => void;
  onError: () => void;
  disabled: boolean;
}) {
  const { t } = useTranslation();
  const video = useRef<HTMLVideoElement>(null);
  useEffect(() => {
    let stream: MediaStream | null = null;
    let cancelled = false;
    navigator.mediaDevices
      .getUserMedia({ video: { facingMode: 'environment', width: { ideal: 1920 } }, audio: false })
      .then((s) => {
        if (cancelled) return s.getTracks().forEach((tr) => tr.stop());
        stream = s;
        if (video.current) {
          video.current.srcObject = s;
          void video.current.play();
        }
      })
      .catch(onError);
    return () => {
      cancelled = true;
      stream?.getTracks().forEach((tr) => tr.stop());
    };
  }, [onError]);

  function shoot() {
    const v = video.current;
    if (!v || !v.videoWidth) return;
    const canvas = document.createElement('canvas');
    canvas.width = v.videoWidth;
    canvas.height = v.videoHeight;
    canvas.getContext('2d')?.drawImage(v, 0, 0);
    canvas.toBlob((b) => b && onShot(b), 'image/jpeg', 0.92);
  }

  return (
    <div className="camera stack">
      <video ref={video} playsInline muted aria-label={t('capture.camera')} />
      <div className="row">
        <button type="button" className="btn big primary" onClick={shoot} disabled={disabled}>
          {t('capture.shoot')}
        </button>
        <button type="button" className="btn" onClick={onClose}>
          {t('capture.closeCamera')}
        </button>
      </div>
    </div>
  );
}
