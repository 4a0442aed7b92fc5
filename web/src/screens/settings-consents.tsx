import { useLiveQuery } from 'dexie-react-hooks';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { db } from '../db/db';
import type { SettingsRow } from '../db/types';
import { pendingDetectionCount } from '../detections/detection-repo';
import { CONSENT_REQUIRED } from '../detections/detection-sender';
import { warmGeo } from '../detections/report-diagnosis';
import { changeConsents, type ConsentPatch } from '../privacy/consents';
import { kickDetections } from '../state/detections-runner';
import { useOnline } from '../state/online';
import { href } from '../state/router';
import { useUser } from '../state/session';

/** The two consents: GPS reads on this device, and opt-in surveillance reports (signed in). */
export function ConsentsSection({ settings }: { settings: SettingsRow }) {
  const { t } = useTranslation();
  const user = useUser();
  const online = useOnline();
  const pending = useLiveQuery(() => pendingDetectionCount(db), []) ?? 0;
  const refused =
    useLiveQuery(() => db.detections.filter((r) => r.lastError === CONSENT_REQUIRED).count(), []) ??
    0;

  // The click shows at once; the stored value follows through IndexedDB (then the server).
  const [clicked, setClicked] = useState<ConsentPatch>({});
  const location = clicked.consentLocation ?? settings.consentLocation;
  const share = clicked.consentShareDetections ?? settings.consentShareDetections;

  async function set(patch: ConsentPatch) {
    setClicked((c) => ({ ...c, ...patch }));
    const next = await changeConsents(db, patch, { signedIn: !!user });
    warmGeo(next);
    if (patch.consentShareDetections) void kickDetections(true);
    setClicked((c) => {
      const rest = { ...c };
      for (const k of Object.keys(patch) as (keyof ConsentPatch)[])
        if (rest[k] === patch[k]) delete rest[k];
      return rest;
    });
  }

  return (
    <section className="card stack" aria-labelledby="privacy-h" data-testid="consents">
      <h2 id="privacy-h">{t('privacy.title')}</h2>
      <p>
        <a href={href({ name: 'privacy' })}>{t('privacyNotice.link')}</a>
      </p>
      <div>
        <div className="check">
          <input
            id="consent-location"
            type="checkbox"
            checked={location}
            aria-describedby="consent-location-hint"
            onChange={(e) => void set({ consentLocation: e.target.checked })}
          />
          <label htmlFor="consent-location">{t('privacy.location')}</label>
        </div>
        <p id="consent-location-hint" className="hint">
          {t('privacy.locationHint')}
        </p>
      </div>
      <div>
        <div className="check">
          <input
            id="consent-share"
            type="checkbox"
            checked={!!user && share}
            disabled={!user}
            aria-describedby="consent-share-hint"
            onChange={(e) => void set({ consentShareDetections: e.target.checked })}
          />
          <label htmlFor="consent-share">{t('privacy.share')}</label>
        </div>
        <p id="consent-share-hint" className="hint">
          {t('privacy.shareHint')}
        </p>
        {!user && (
          <p className="notice warn">
            <a href={href({ name: 'account', mode: 'login' })}>{t('privacy.shareSignIn')}</a>
          </p>
        )}
      </div>
      {user && settings.consentsPending && !online && (
        <p role="status">{t('privacy.savedOffline')}</p>
      )}
      {user && refused > 0 && <p className="notice warn">{t('privacy.serverRefused')}</p>}
      {user && pending > 0 && (
        <p className="meta" role="status" data-testid="detections-pending">
          {t('privacy.pending', { count: pending })}
        </p>
      )}
    </section>
  );
}
