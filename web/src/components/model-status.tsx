import { useTranslation } from 'react-i18next';
import { useModelState } from '../state/model-store';

export function ModelStatus() {
  const { t } = useTranslation();
  const m = useModelState();
  switch (m.status) {
    case 'loading': {
      const pct =
        m.progress && m.progress.totalBytes > 0
          ? Math.round((100 * m.progress.loadedBytes) / m.progress.totalBytes)
          : 0;
      return (
        <div className="model-status" role="status">
          <label htmlFor="model-progress">{t('model.downloading', { percent: pct })}</label>
          <progress id="model-progress" max={100} value={pct} />
        </div>
      );
    }
    case 'ready':
      return (
        <p className="model-status" role="status" data-testid="model-ready">
          {t('model.version', { version: m.info.version })} ·{' '}
          {t('model.ready', { backend: m.info.backend })}
        </p>
      );
    case 'unavailable':
      return (
        <p className="notice warn" role="status">
          {t('model.unavailable')}
        </p>
      );
    case 'error':
      return (
        <p className="notice error" role="alert">
          {t('model.error', { message: m.message })}
        </p>
      );
    default:
      return null;
  }
}
