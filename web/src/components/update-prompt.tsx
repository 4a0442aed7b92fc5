import { useState, useSyncExternalStore } from 'react';
import { useTranslation } from 'react-i18next';
import { applyUpdate, subscribeUpdate, updateState } from '../pwa/register-sw';

/** "New version" banner. Applying waits for the outbox to finish sending (see register-sw). */
export function UpdatePrompt() {
  const { t } = useTranslation();
  const state = useSyncExternalStore(subscribeUpdate, updateState);
  // « Plus tard »: not in the middle of a task; the new version waits for the next start.
  const [later, setLater] = useState(false);
  if (state === 'none' || later) return null;
  return (
    <div className="update-banner" role="status">
      <span>{state === 'waiting-outbox' ? t('app.updateWaitOutbox') : t('app.updateReady')}</span>
      {state === 'ready' && (
        <>
          <button type="button" className="btn primary" onClick={() => void applyUpdate()}>
            {t('app.updateNow')}
          </button>
          <button type="button" className="btn" onClick={() => setLater(true)}>
            {t('app.later')}
          </button>
        </>
      )}
    </div>
  );
}
