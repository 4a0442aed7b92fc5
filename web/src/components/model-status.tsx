import { useTranslation } from 'react-i18next';
import { useModelState } from '../state/model-store';

/**
 * Where the on-device model stands. `technical` (Settings) adds how it runs (WASM, SIMD, threads):
 * useful to an advisor or to support, jargon on the home and diagnosis screens.
 */
export function ModelStatus({ technical = false }: { technical?: boolean }) {
  const { t } = useTranslation();
  const m = useModelState();
  switch (m.status) {
    case 'loading': {
      const pct =
        m.progress && m.progress.totalBytes > 0
          ? Math.round((100 * m.progress.loadedBytes) / m.progress.totalBytes)
          : 0;
      // The percentage stays out of the live region: read at every step, it would talk over
      // everything else for the whole download. The region is there, empty, to say « prêt ».
      return (
        <div className="model-status">
          <div role="status" />
          <label htmlFor="model-progress">{t('model.downloading', { percent: pct })}</label>
          <progress id="model-progress" max={100} value={pct} />
        </div>
      );
    }
    case 'ready': {
      const u = m.update;
      const pct =
        u?.status === 'downloading' && u.progress && u.progress.totalBytes > 0
          ? Math.round((100 * u.progress.loadedBytes) / u.progress.totalBytes)
          : 0;
      return (
        <div className="model-status">
          <div role="status">
            <p data-testid="model-ready" data-version={m.info.version}>
              {t('model.version', { version: m.info.version })} · {t('model.ready')}
              {technical && ` (${m.info.backend})`}
            </p>
            {u?.status === 'staged' && (
              <p data-testid="model-update-staged">
                {t('model.updateWaiting', { version: u.version })}
              </p>
            )}
            {!u && m.previous && (
              <p
                data-testid="model-updated"
                data-downloaded-bytes={m.previous.downloadedBytes}
                data-reused-bytes={m.previous.reusedBytes}
              >
                {t('model.updated', { previous: m.previous.version })}
              </p>
            )}
          </div>
          {u?.status === 'downloading' && (
            <>
              <label htmlFor="model-update-progress">{t('model.updating', { percent: pct })}</label>
              <progress id="model-update-progress" max={100} value={pct} />
            </>
          )}
        </div>
      );
    }
    case 'unavailable':
      return (
        <p className="notice warn" role="status">
          {t('model.unavailable')}
        </p>
      );
    case 'error':
      return (
        <p className="notice error" role="alert">
          {m.retryable ? t('model.downloadFailed') : t('model.error', { message: m.message })}
        </p>
      );
    default:
      return null;
  }
}
