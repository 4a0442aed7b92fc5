import { ActionNotice } from '../components/action-notice';
import { useLiveQuery } from 'dexie-react-hooks';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { DiagnosisLinks } from '../components/diagnosis-links';
import { TwoStepButton } from '../components/two-step-button';
import { db } from '../db/db';
import { clearDiagnoses, DIAGNOSIS_HISTORY_MAX } from '../db/diagnosis-history';

/**
 * « Mes diagnostics »: every diagnosis the device keeps (home shows the latest five), and
 * « Tout effacer » — they hold field photos and maybe their positions, on a phone that may be
 * lent or lost.
 */
export function Diagnoses() {
  const { t } = useTranslation();
  const rows = useLiveQuery(() => db.diagnoses.orderBy('createdAt').reverse().toArray(), []);
  const [cleared, setCleared] = useState(false);
  return (
    <main id="main" className="page">
      <h1>{t('history.title')}</h1>
      <p>{t('history.intro', { max: DIAGNOSIS_HISTORY_MAX })}</p>
      {/* The button pressed is gone with the list: the notice takes the focus and says it. */}
      {cleared && <ActionNotice testId="history-cleared">{t('history.cleared')}</ActionNotice>}
      {rows && rows.length === 0 && !cleared && <p>{t('home.none')}</p>}
      <DiagnosisLinks rows={rows ?? []} />
      {rows && rows.length > 0 && (
        <TwoStepButton
          label={t('history.clear', { count: rows.length })}
          question={t('history.clearQuestion', { count: rows.length })}
          confirmLabel={t('history.clearConfirm')}
          cancelLabel={t('result.deleteCancel')}
          onConfirm={() => void clearDiagnoses(db).then(() => setCleared(true))}
          testId="confirm-clear-history"
        />
      )}
    </main>
  );
}
