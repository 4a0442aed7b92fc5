import { useTranslation } from 'react-i18next';
import type { User } from '@phytodiag/api/contract';
import { apiJson } from '../api/http';
import { db } from '../db/db';
import { updateSettings } from '../db/settings';
import type { Lang } from '../db/types';
import { setLanguage } from '../i18n';
import { useLang } from '../state/library-hooks';
import { currentUser, setUser } from '../state/session';

const LABELS: Record<Lang, string> = { fr: 'Français', en: 'English' };

export async function changeLanguage(lang: Lang): Promise<void> {
  await setLanguage(lang);
  await updateSettings(db, { lang });
  // The account follows, so its e-mails and the server's messages come in this language too.
  // Best effort: offline, the next change (or the profile in Settings) carries it.
  const user = currentUser();
  if (user && user.language !== lang) {
    await apiJson<User>('/api/auth/me', { method: 'PATCH', json: { language: lang } })
      .then(setUser)
      .catch(() => undefined);
  }
}

export function LanguageSwitch() {
  const { t } = useTranslation();
  const lang = useLang();
  return (
    <fieldset className="segmented">
      <legend>{t('settings.language')}</legend>
      {(['fr', 'en'] as const).map((l) => (
        <label key={l} className={`seg ${lang === l ? 'on' : ''}`}>
          <input
            type="radio"
            name="lang"
            value={l}
            lang={l}
            checked={lang === l}
            onChange={() => void changeLanguage(l)}
          />
          <span lang={l}>{LABELS[l]}</span>
        </label>
      ))}
    </fieldset>
  );
}
