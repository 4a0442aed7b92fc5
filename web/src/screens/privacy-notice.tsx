import { useTranslation } from 'react-i18next';
import { DEFAULT_PRIVACY_TERMS, fetchPrivacyTerms, periodOf } from '../privacy/privacy-terms';
import { href, type Route } from '../state/router';
import { useFetched } from '../state/use-fetched';

/**
 * Who runs the service and answers privacy questions (Law 25 asks that this person's title and
 * contact be published). Set at build time by the organisation that deploys Phytodiag; without
 * it, the notice sends people to the lab through the app itself.
 */
const PRIVACY_CONTACT: string = import.meta.env.VITE_PRIVACY_CONTACT ?? '';

/** The notice's sections, in reading order; each may end with a link to where the right is used. */
const SECTIONS: { id: string; link?: { route: Route; key: string } }[] = [
  { id: 'device', link: { route: { name: 'diagnoses' }, key: 'history.title' } },
  { id: 'lab' },
  { id: 'account' },
  { id: 'consents', link: { route: { name: 'settings' }, key: 'privacyNotice.toSettings' } },
  { id: 'public', link: { route: { name: 'public' }, key: 'publicView.link' } },
  { id: 'retention' },
  { id: 'rights', link: { route: { name: 'settings' }, key: 'privacyNotice.toSettings' } },
];

/**
 * « Confidentialité »: what Phytodiag collects, who sees it, how long it is kept and how to use
 * one's rights, in plain words (Law 25: a policy published « en termes simples et clairs », read
 * before an account is made). docs/privacy.md is the same for developers, with the mechanics.
 */
export function PrivacyNotice() {
  const { t } = useTranslation();
  // The periods this server purges with (RETENTION_*), not the defaults the text was written for.
  const { retention } =
    useFetched('privacy-terms', fetchPrivacyTerms).data ?? DEFAULT_PRIVACY_TERMS;
  const period = (length: Parameters<typeof periodOf>[0]) => {
    const { unit, count } = periodOf(length);
    return t(`privacyNotice.period.${unit}`, { count });
  };
  const values: Record<string, Record<string, string>> = {
    retention: {
      contact: period({ days: retention.closedCaseContactDays }),
      detections: period({ weeks: retention.deviceDetectionWeeks }),
      accessLog: period({ days: retention.accessLogDays }),
    },
  };
  return (
    <main id="main" className="page">
      <h1>{t('privacyNotice.title')}</h1>
      <p>{t('privacyNotice.intro')}</p>
      {SECTIONS.map(({ id, link }) => (
        <section key={id} aria-labelledby={`privacy-${id}`}>
          <h2 id={`privacy-${id}`}>{t(`privacyNotice.${id}.title`)}</h2>
          <p>{t(`privacyNotice.${id}.body`, values[id])}</p>
          {link && (
            <p>
              <a href={href(link.route)}>{t(link.key)}</a>
            </p>
          )}
        </section>
      ))}
      <section aria-labelledby="privacy-contact">
        <h2 id="privacy-contact">{t('privacyNotice.contact.title')}</h2>
        <p>
          {PRIVACY_CONTACT
            ? t('privacyNotice.contact.officer', { contact: PRIVACY_CONTACT })
            : t('privacyNotice.contact.lab')}
        </p>
        {!PRIVACY_CONTACT && (
          <p>
            <a href={href({ name: 'escalate', diagnosisId: null })}>{t('home.ask')}</a>
          </p>
        )}
        <p>{t('privacyNotice.contact.cai')}</p>
      </section>
    </main>
  );
}
