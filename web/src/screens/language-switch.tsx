import { useTranslation } from 'react-i18next';
import type { User } from '@phytodiag/api/contract';
import { db } from '../db/db';
import { readSettings, updateSettings } from '../db/settings';
import type { Lang } from '../db/types';
import { setLanguage } from '../i18n';
import { useLang } from '../state/library-hooks';
import { followOnAccount } from '../state/session';

const LABELS: Record<Lang, string> = { fr: 'Français', en: 'English' };

export async function changeLanguage(lang: Lang): Promise<void> {
  await setLanguage(lang);
  await updateSettings(db, { lang, langChosen: true });
  await followOnAccount({ language: lang });
}

/**
 * At sign-in, one language for the screen and the server's texts (answers, e-mails, errors): a
 * language picked on this device wins and the account follows it; a device left on the default
 * takes the account's, so a new phone speaks the language the person already chose.
 */
export async function settleLanguageOnSignIn(account: User): Promise<void> {
  const { lang, langChosen } = await readSettings(db);
  // English is never the default: a device in English was switched to it (before langChosen).
  // The account's update is best effort and not waited for: sign-in goes on to the next screen.
  if (langChosen || lang !== 'fr') void followOnAccount({ language: lang });
  else if (account.language !== lang) {
    await setLanguage(account.language);
    await updateSettings(db, { lang: account.language });
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
