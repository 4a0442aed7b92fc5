import { useTranslation } from 'react-i18next';
import { db } from '../db/db';
import { updateSettings } from '../db/settings';
import type { Profile } from '../db/types';
import { href } from '../state/router';
import { LanguageSwitch } from './language-switch';

export const PROFILES: Profile[] = ['producer', 'advisor', 'gardener'];

export function Welcome() {
  const { t } = useTranslation();
  return (
    <main id="main" className="page welcome">
      <h1>{t('app.name')}</h1>
      <p className="lead">{t('app.tagline')}</p>
      <LanguageSwitch />
      <h2>{t('profile.title')}</h2>
      <p>{t('profile.intro')}</p>
      <ul className="choice-list">
        {PROFILES.map((p) => (
          <li key={p}>
            <button
              type="button"
              className="btn big choice"
              data-testid={`profile-${p}`}
              onClick={() => void updateSettings(db, { profile: p })}
            >
              <span className="choice-title">{t(`profile.${p}`)}</span>
              <span className="choice-hint">{t(`profile.${p}Hint`)}</span>
            </button>
          </li>
        ))}
      </ul>
      <p>
        <a href={href({ name: 'public' })}>{t('publicView.link')}</a>
      </p>
    </main>
  );
}
