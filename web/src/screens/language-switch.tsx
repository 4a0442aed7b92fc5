import { useTranslation } from 'react-i18next';
import { db } from '../db/db';
import { updateSettings } from '../db/settings';
import type { Lang } from '../db/types';
import { setLanguage } from '../i18n';
import { useLang } from '../state/library-hooks';
import { followOnAccount } from '../state/session';

const LABELS: Record<Lang, string> = { fr: 'Français', en: 'English' };

export async function changeLanguage(lang: Lang): Promise<void> {
  await setLanguage(lang);
  await updateSettings(db, { lang });
  await followOnAccount({ language: lang });
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
