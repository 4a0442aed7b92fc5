import { ActionNotice } from '../components/action-notice';
import { ErrorAlert } from '../components/error-alert';
import { syncContextPriors } from '../classifier/context-priors';
import { useLiveQuery } from 'dexie-react-hooks';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { db } from '../db/db';
import { readSettings } from '../db/settings';
import {
  downloadLibraryImages,
  EST_THUMB_BYTES,
  offlineImageUrls,
  syncLibraryText,
  type DownloadProgress,
} from '../library/library-sync';
import { downloadErrorText } from '../library/download-error';
import { formatBytes } from '../state/format';
import { useLang } from '../state/library-hooks';
import { useOnline } from '../state/online';

export function OfflineDownload() {
  const { t, i18n } = useTranslation();
  const lang = useLang();
  const online = useOnline();
  const rows = useLiveQuery(() => db.libraryEntries.toArray(), []);
  const stored = useLiveQuery(() => db.libraryImages.count(), []);
  const [progress, setProgress] = useState<DownloadProgress | null>(null);
  const [message, setMessage] = useState<{ kind: 'ok' | 'error'; text: string } | null>(null);
  const [persisted, setPersisted] = useState<boolean | null>(null);
  const [busy, setBusy] = useState(false);
  const urls = offlineImageUrls(rows ?? []);
  const missing = Math.max(0, urls.length - (stored ?? 0));

  async function download() {
    setBusy(true);
    setMessage(null);
    try {
      // Ask first: a persisted origin is not evicted under storage pressure.
      setPersisted((await navigator.storage?.persist?.()) ?? false);
      await syncLibraryText(db);
      await syncContextPriors(db);
      const p = await downloadLibraryImages(db, setProgress);
      const s = await readSettings(db);
      setMessage({
        kind: 'ok',
        text: t('offline.done', {
          sheets: (await db.libraryEntries.count()).toLocaleString(i18n.language),
          photos: p.total.toLocaleString(i18n.language),
          revision: s.libraryRevision,
        }),
      });
    } catch (err) {
      setMessage({
        kind: 'error',
        text: downloadErrorText(err, t),
      });
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className="card" aria-labelledby="offline-h">
      <h2 id="offline-h">{t('offline.title')}</h2>
      {/* What is left to fetch: it shrinks as the photos arrive, down to « all stored ». */}
      {missing > 0 ? (
        <p>
          {t('offline.estimate', {
            size: `≈ ${formatBytes(missing * EST_THUMB_BYTES, lang)}`,
          })}
        </p>
      ) : (
        urls.length > 0 && (
          <p>{t('offline.allStored', { photos: urls.length.toLocaleString(i18n.language) })}</p>
        )
      )}
      <button
        type="button"
        className="btn big primary"
        disabled={!online || busy}
        onClick={() => void download()}
        data-testid="download-library"
      >
        {t('library.download')}
      </button>
      {!online && <p className="hint">{t('offline.needOnline')}</p>}
      {progress && (
        <div className="field">
          <label htmlFor="dl-progress">
            {t('offline.progress', { done: progress.done, total: progress.total })}
          </label>
          <progress id="dl-progress" max={Math.max(progress.total, 1)} value={progress.done} />
        </div>
      )}
      {persisted !== null && (
        <p className="hint">{persisted ? t('offline.persisted') : t('offline.notPersisted')}</p>
      )}
      {message &&
        (message.kind === 'error' ? (
          <ErrorAlert message={message.text} />
        ) : (
          <ActionNotice key={message.text}>{message.text}</ActionNotice>
        ))}
    </section>
  );
}
