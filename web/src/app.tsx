import { lazy, Suspense, useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { SyncAnnouncer } from './components/sync-announcer';
import { TabIcon } from './components/tab-icon';
import { UpdatePrompt } from './components/update-prompt';
import type { SettingsRow } from './db/types';
import { setLanguage } from './i18n';
import { useOnline } from './state/online';
import { href, useRoute, type Route } from './state/router';
import { usePageTitle } from './state/page-title';
import { useSettings } from './state/settings-hooks';
import { canSubmitToBank, canTriage } from './lab/roles';
import { refreshNotifications, useNotifications } from './state/notifications';
import { useUser } from './state/session';
import { Account } from './screens/account';
import { ForgotPassword, ResetPassword } from './screens/password-reset';
import { BankContributions } from './screens/bank-contributions';
import { Diagnoses } from './screens/diagnoses';
import { PrivacyNotice } from './screens/privacy-notice';
import { BankReview } from './screens/bank-review';
import { BankUpload } from './screens/bank-upload';
import { CaseDetail } from './screens/case-detail';
import { Cases } from './screens/cases';
import { Diagnose } from './screens/diagnose';
import { Escalate } from './screens/escalate';
import { Home } from './screens/home';
import { LabAgreement } from './screens/lab-agreement';
import { LabCase } from './screens/lab-case';
import { LabModels } from './screens/lab-models';
import { LabQueue } from './screens/lab-queue';
import { Library } from './screens/library';
import { LibraryEntry } from './screens/library-entry';
import { Result } from './screens/result';
import { Settings } from './screens/settings';
import { Welcome } from './screens/welcome';

// Dashboards load on demand: Observable Plot and the map code stay out of the first download
// (the service worker precaches these chunks, so they still open offline).
const LabSurveillance = lazy(() =>
  import('./screens/lab-surveillance').then((m) => ({ default: m.LabSurveillance })),
);
const LabIndicators = lazy(() =>
  import('./screens/lab-indicators').then((m) => ({ default: m.LabIndicators })),
);
const LibraryEdit = lazy(() =>
  import('./screens/library-edit').then((m) => ({ default: m.LibraryEdit })),
);
const LabCanned = lazy(() =>
  import('./screens/lab-canned').then((m) => ({ default: m.LabCanned })),
);
const LabTeam = lazy(() => import('./screens/lab-team').then((m) => ({ default: m.LabTeam })));
const PublicSituation = lazy(() =>
  import('./screens/public-situation').then((m) => ({ default: m.PublicSituation })),
);

// `short`: the visible label on narrow phones when the full one does not fit five across. It is a
// prefix of the full label, which stays the accessible name (WCAG 2.5.3, label in name).
const NAV: { route: Route; key: string; short?: string }[] = [
  { route: { name: 'home' }, key: 'nav.home' },
  { route: { name: 'diagnose' }, key: 'nav.diagnose' },
  { route: { name: 'library' }, key: 'nav.library', short: 'nav.libraryShort' },
  { route: { name: 'cases' }, key: 'nav.cases' },
  { route: { name: 'settings' }, key: 'nav.settings' },
];

// Which tab a route belongs to (detail screens highlight their list's tab).
const TAB_OF: Partial<Record<Route['name'], Route['name']>> = {
  entry: 'library',
  entryEdit: 'library',
  case: 'cases',
};

function focusHeading(): void {
  const focus = (h1: HTMLElement) => {
    h1.setAttribute('tabindex', '-1');
    h1.focus();
  };
  const h1 = document.querySelector<HTMLElement>('main h1');
  if (h1) return focus(h1);
  // A screen that reads IndexedDB (or loads its code) first shows its heading a moment later:
  // focus it then, unless the user has put the focus somewhere meanwhile.
  const observer = new MutationObserver(() => {
    const late = document.querySelector<HTMLElement>('main h1');
    if (!late) return;
    observer.disconnect();
    if (!document.activeElement || document.activeElement === document.body) focus(late);
  });
  observer.observe(document.body, { childList: true, subtree: true });
  setTimeout(() => observer.disconnect(), 5000);
}

function Screen({ route, settings }: { route: Route; settings: SettingsRow }) {
  const profile = settings.profile ?? 'producer';
  switch (route.name) {
    case 'home':
      return <Home />;
    case 'diagnose':
      return <Diagnose settings={settings} />;
    case 'result':
      return <Result id={route.id} profile={profile} />;
    case 'diagnoses':
      return <Diagnoses />;
    case 'library':
      return <Library />;
    case 'entry':
      return <LibraryEntry slug={route.slug} profile={profile} />;
    case 'entryEdit':
      return <LibraryEdit slug={route.slug} />;
    case 'escalate':
      return <Escalate diagnosisId={route.diagnosisId} about={route.about} settings={settings} />;
    case 'cases':
      return <Cases />;
    case 'case':
      return <CaseDetail id={route.id} />;
    case 'lab':
      return <LabQueue />;
    case 'labCase':
      return <LabCase id={route.id} />;
    case 'bankUpload':
      return <BankUpload />;
    case 'bankReview':
      return <BankReview />;
    case 'bankMine':
      return <BankContributions />;
    case 'models':
      return <LabModels />;
    case 'agreement':
      return <LabAgreement />;
    case 'surveillance':
      return <LabSurveillance />;
    case 'indicators':
      return <LabIndicators />;
    case 'team':
      return <LabTeam />;
    case 'canned':
      return <LabCanned />;
    case 'public':
      return <PublicSituation />;
    case 'account':
      return <Account mode={route.mode} settings={settings} />;
    case 'forgot':
      return <ForgotPassword />;
    case 'reset':
      return <ResetPassword token={route.token} />;
    case 'settings':
      return <Settings settings={settings} />;
    case 'privacy':
      return <PrivacyNotice />;
  }
}

export function App() {
  const { t, i18n } = useTranslation();
  const settings = useSettings();
  const route = useRoute();
  const online = useOnline();
  const user = useUser();
  const { unread } = useNotifications();
  // Role-gated staff entry, in the header so the field tab bar keeps 5 readable tabs: the lab
  // queue for specialists, photo submission for agronomists.
  const staff: { route: Route; key: string } | null = canTriage(user)
    ? { route: { name: 'lab' }, key: 'nav.lab' }
    : canSubmitToBank(user)
      ? { route: { name: 'bankUpload' }, key: 'nav.bank' }
      : null;
  const staffCurrent =
    staff !== null &&
    (staff.route.name === route.name ||
      (staff.route.name === 'bankUpload' && route.name === 'bankMine') ||
      (staff.route.name === 'lab' &&
        [
          'labCase',
          'bankReview',
          'bankUpload',
          'bankMine',
          'models',
          'agreement',
          'surveillance',
          'indicators',
          'team',
          'canned',
        ].includes(route.name)));

  // Sign-in / sign-out changes whose notifications count.
  useEffect(() => {
    void refreshNotifications();
  }, [user?.id]);

  useEffect(() => {
    if (settings && settings.lang !== i18n.language) void setLanguage(settings.lang);
  }, [settings, i18n.language]);

  usePageTitle(t('app.name'));

  // Move focus to the new screen's heading so screen-reader users hear the change: also from
  // one screen of a kind to another (a look-alike's fact sheet, sign-in to register), which
  // rebuilds the screen (the key below) and would leave the focus nowhere.
  const routeKey = JSON.stringify(route);
  const firstRoute = useRef(true);
  useEffect(() => {
    if (firstRoute.current) {
      firstRoute.current = false;
      return;
    }
    focusHeading();
  }, [routeKey]);
  // Likewise when the welcome step gives way to the app: the profile buttons vanish, and the
  // focus would fall back to the page's start.
  const hadProfile = useRef<boolean | null>(null);
  useEffect(() => {
    if (!settings) return;
    const has = Boolean(settings.profile);
    if (hadProfile.current === false && has) focusHeading();
    hadProfile.current = has;
  }, [settings]);

  if (!settings) return <p className="page">{t('app.loading')}</p>;
  // The public situation needs no account and no profile: open it even before the welcome step.
  if (!settings.profile)
    return route.name === 'public' ? (
      <Suspense fallback={<p className="page">{t('app.loading')}</p>}>
        <PublicSituation standalone />
      </Suspense>
    ) : (
      <Welcome />
    );
  return (
    <>
      <a
        className="skip-link"
        href="#main"
        onClick={(e) => {
          e.preventDefault();
          // <main> is not focusable: its heading is, as after every change of screen.
          focusHeading();
        }}
      >
        {t('app.skip')}
      </a>
      <header className="app-header">
        <div className="header-row">
          <a className="brand" href={href({ name: 'home' })}>
            {t('app.name')}
          </a>
          {staff && (
            <nav aria-label={t('nav.staff')}>
              <a
                className="header-link"
                href={href(staff.route)}
                aria-current={staffCurrent ? 'page' : undefined}
              >
                {t(staff.key)}
              </a>
            </nav>
          )}
        </div>
        {/* The live region stays; its content comes and goes, so the change is announced. */}
        <div role="status">{!online && <p className="offline-banner">{t('app.offline')}</p>}</div>
      </header>
      <SyncAnnouncer />
      <UpdatePrompt />
      <Suspense fallback={<p className="page">{t('app.loading')}</p>}>
        <Screen key={routeKey} route={route} settings={settings} />
      </Suspense>
      <nav className="tabbar" aria-label={t('nav.label')}>
        <ul>
          {NAV.map((n) => {
            const current = n.route.name === (TAB_OF[route.name] ?? route.name);
            return (
              <li key={n.key}>
                <a href={href(n.route)} aria-current={current ? 'page' : undefined}>
                  <TabIcon name={n.route.name} />
                  <span className="tab-label">
                    {n.short && t(n.short) !== t(n.key) ? (
                      <>
                        <span className="tab-long">{t(n.key)}</span>
                        <span className="tab-short" aria-hidden="true">
                          {t(n.short)}
                        </span>
                      </>
                    ) : (
                      t(n.key)
                    )}
                  </span>
                  {n.route.name === 'cases' && unread > 0 && (
                    <span className="nav-badge" data-testid="unread-badge">
                      {unread}
                      <span className="visually-hidden"> {t('nav.unread', { count: unread })}</span>
                    </span>
                  )}
                </a>
              </li>
            );
          })}
        </ul>
      </nav>
    </>
  );
}
