import i18next from 'i18next';
import { en } from '../src/i18n/en';
import { fr } from '../src/i18n/fr';

/** The app's own strings in one language, as the UI renders them (no HTML escaping). */
export async function translator(lng: 'fr' | 'en') {
  const i18n = i18next.createInstance();
  await i18n.init({
    lng,
    resources: { fr: { translation: fr }, en: { translation: en } },
    interpolation: { escapeValue: false },
  });
  return i18n.t;
}
