import { useLiveQuery } from 'dexie-react-hooks';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { db } from '../db/db';
import { readSettings, updateSettings } from '../db/settings';
import type { DiagnosisRow } from '../db/types';
import { reportDiagnosis } from '../detections/report-diagnosis';
import { sendQueuedReports } from '../state/detections-runner';
import { useUser } from '../state/session';
import { changeConsents } from './consents';

/**
 * Asked once per device, under a signed-in user's first result: may their diagnoses feed the
 * regional surveillance? Opt-in (nothing is shared until "Yes"), both answers equally easy, and
 * the same switch stays in Settings. "Yes" also reports the diagnosis on screen.
 */
export function SharePrompt({ diagnosis }: { diagnosis: DiagnosisRow }) {
  const { t } = useTranslation();
  const user = useUser();
  const settings = useLiveQuery(() => readSettings(db), []);
  const [busy, setBusy] = useState(false);
  if (!user || !settings || settings.consentShareDetections || settings.shareDetectionsAsked)
    return null;

  async function answer(share: boolean) {
    setBusy(true);
    try {
      if (!share) {
        await updateSettings(db, { shareDetectionsAsked: true });
        return;
      }
      const next = await changeConsents(db, { consentShareDetections: true }, { signedIn: true });
      if (user && (await reportDiagnosis(db, diagnosis, next, user.id))) sendQueuedReports(true);
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className="card stack" aria-labelledby="share-prompt-h" data-testid="share-prompt">
      <h2 id="share-prompt-h">{t('privacy.promptTitle')}</h2>
      <p>{t('privacy.promptBody')}</p>
      <p className="hint">{t('privacy.shareHint')}</p>
      <div className="row">
        <button type="button" className="btn" disabled={busy} onClick={() => void answer(true)}>
          {t('privacy.promptYes')}
        </button>
        <button type="button" className="btn" disabled={busy} onClick={() => void answer(false)}>
          {t('privacy.promptNo')}
        </button>
      </div>
    </section>
  );
}
