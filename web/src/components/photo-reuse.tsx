import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorText } from '../api/error-text';
import { db } from '../db/db';
import { setPhotoReuse } from '../lab/lab-api';
import { setDeviceConsent } from '../outbox/my-cases';
import { useOnline } from '../state/online';
import { ActionNotice } from './action-notice';
import { ErrorAlert } from './error-alert';

/**
 * The photo-reuse consent of one of the person's cases, given or withdrawn here as easily as it
 * was given in the request form (Law 25). Withdrawn after the lab used the photos, they leave the
 * image bank and the next model is trained without them.
 */
export function PhotoReuse({ caseId, consent }: { caseId: string; consent: boolean }) {
  const { t } = useTranslation();
  const online = useOnline();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<{ consent: boolean; removed: number } | null>(null);

  async function change() {
    setBusy(true);
    setError(null);
    setDone(null);
    try {
      const result = await setPhotoReuse(caseId, !consent);
      await setDeviceConsent(db, caseId, result.consentPhotoReuse);
      setDone({ consent: result.consentPhotoReuse, removed: result.removedFromBank });
    } catch (err) {
      setError(errorText(err, t));
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className="card stack" aria-labelledby="reuse-h" data-testid="photo-reuse">
      <h2 id="reuse-h">{t('photoReuse.title')}</h2>
      <p>{t(consent ? 'photoReuse.given' : 'photoReuse.notGiven')}</p>
      <ErrorAlert message={error} />
      {done && (
        <ActionNotice testId="photo-reuse-done">
          {done.consent
            ? t('photoReuse.nowGiven')
            : t('photoReuse.withdrawn', { count: done.removed })}
        </ActionNotice>
      )}
      {!online && <p className="hint">{t('photoReuse.offline')}</p>}
      <button
        type="button"
        className="btn"
        disabled={busy || !online}
        onClick={() => void change()}
      >
        {t(consent ? 'photoReuse.withdraw' : 'photoReuse.give')}
      </button>
    </section>
  );
}
