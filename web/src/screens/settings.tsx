import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ContextFields } from '../components/context-fields';
import { ModelStatus } from '../components/model-status';
import { db } from '../db/db';
import { updateSettings } from '../db/settings';
import type { SettingsRow } from '../db/types';
import { formatBytes } from '../state/format';
import { useLang } from '../state/library-hooks';
import { href } from '../state/router';
import { followOnAccount, useUser } from '../state/session';
import { useShown } from '../state/settings-hooks';
import { LanguageSwitch } from './language-switch';
import { OfflineDownload } from './offline-download';
import { PROFILES } from './welcome';
import { AlertsSection } from './settings-alerts';
import { CaseMailSection } from './settings-mail';
import { ConsentsSection } from './settings-consents';
import { MyDataSection } from './settings-my-data';

export function Settings({ settings }: { settings: SettingsRow }) {
  const { t } = useTranslation();
  const lang = useLang();
  const user = useUser();
  const [profile, setProfile] = useShown(settings.profile);
  const [usage, setUsage] = useState<{ used: number; quota: number } | null>(null);
  useEffect(() => {
    void navigator.storage
      ?.estimate?.()
      .then((e) => setUsage({ used: e.usage ?? 0, quota: e.quota ?? 0 }));
  }, []);
  return (
    <main id="main" className="page">
      <h1>{t('settings.title')}</h1>
      <fieldset className="segmented vertical">
        <legend>{t('settings.profile')}</legend>
        {PROFILES.map((p) => (
          <label key={p} className={`seg ${profile === p ? 'on' : ''}`}>
            <input
              type="radio"
              name="profile"
              value={p}
              data-testid={`settings-profile-${p}`}
              checked={profile === p}
              onChange={() => {
                setProfile(p);
                void updateSettings(db, { profile: p });
                void followOnAccount({ profileKind: p });
              }}
            />
            <span>{t(`profile.${p}`)}</span>
          </label>
        ))}
      </fieldset>
      <LanguageSwitch />
      <section className="card" aria-labelledby="ctx-h">
        <h2 id="ctx-h">{t('settings.context')}</h2>
        <ContextFields
          idPrefix="set"
          crop={settings.crop}
          regionCode={settings.regionCode}
          priorsEnabled={settings.priorsEnabled}
          onChange={(patch) => void updateSettings(db, patch)}
        />
      </section>
      <OfflineDownload />
      <ModelStatus technical />
      {usage && (
        <p className="meta">
          {t('settings.storage', {
            used: formatBytes(usage.used, lang),
            quota: formatBytes(usage.quota, lang),
          })}
        </p>
      )}
      <section className="card" aria-labelledby="acct-h">
        <h2 id="acct-h">{t('settings.account')}</h2>
        {user ? (
          <p>
            {t('auth.signedInAs', { email: user.email })} —{' '}
            <a href={href({ name: 'account', mode: 'login' })}>{t('auth.manage')}</a>
          </p>
        ) : (
          <p>
            <a href={href({ name: 'account', mode: 'login' })}>{t('auth.login')}</a> ·{' '}
            <a href={href({ name: 'account', mode: 'register' })}>{t('auth.register')}</a>
          </p>
        )}
      </section>
      <CaseMailSection />
      <ConsentsSection settings={settings} />
      <AlertsSection defaultRegion={settings.regionCode} />
      <MyDataSection />
    </main>
  );
}
