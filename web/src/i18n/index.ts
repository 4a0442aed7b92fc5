import { withFrenchSpacing } from '@phytodiag/api/typography';
import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import { setRequestLanguage } from '../api/http';
import type { Lang } from '../db/types';
import { en } from './en';
import { fr } from './fr';

export const LANGS: Lang[] = ['fr', 'en'];

export function initI18n(lang: Lang): typeof i18next {
  void i18next.use(initReactI18next).init({
    resources: { fr: { translation: withFrenchSpacing(fr) }, en: { translation: en } },
    lng: lang,
    fallbackLng: 'fr',
    interpolation: { escapeValue: false }, // React escapes
    initAsync: false,
  });
  document.documentElement.lang = lang;
  setRequestLanguage(lang);
  return i18next;
}

export async function setLanguage(lang: Lang): Promise<void> {
  await i18next.changeLanguage(lang);
  document.documentElement.lang = lang;
  setRequestLanguage(lang);
}
