import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { User } from '@phytodiag/api/contract';
import { errorText } from '../api/error-text';
import { apiJson } from '../api/http';
import { ErrorAlert } from '../components/error-alert';
import { db } from '../db/db';
import type { SettingsRow } from '../db/types';
import { PASSWORD_MIN } from '../lab/limits';
import { pushConsents } from '../privacy/consents';
import { signOut } from '../privacy/local-data';
import { href } from '../state/router';
import { missingText } from '../state/form-checks';
import { useLang } from '../state/library-hooks';
import { useUser } from '../state/session';
import { completeSignIn } from '../state/sign-in';
import { AccountSecurity } from './account-security';

export function Account({ mode, settings }: { mode: 'login' | 'register'; settings: SettingsRow }) {
  const { t } = useTranslation();
  const user = useUser();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [displayName, setDisplayName] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  // After a send was tried, an empty required field is marked invalid.
  const [tried, setTried] = useState(false);
  const lang = useLang();

  async function submit(e: React.FormEvent) {
    e.preventDefault();
    const missing = missingText(t, lang, [
      { label: t('auth.fieldEmail'), empty: !email.trim() },
      { label: t('auth.fieldPassword'), empty: !password },
    ]);
    setTried(true);
    if (missing) return setError(missing);
    setBusy(true);
    setError(null);
    try {
      // Registering signs in too (the API opens the session), as logging in does.
      const u =
        mode === 'register'
          ? await apiJson<User>('/api/auth/register', {
              method: 'POST',
              json: {
                email,
                password,
                profileKind: settings.profile ?? 'producer',
                language: settings.lang,
                ...(displayName.trim() ? { displayName: displayName.trim() } : {}),
              },
            })
          : await apiJson<User>('/api/auth/login', {
              method: 'POST',
              json: { email, password },
            });
      await completeSignIn(u);
    } catch (err) {
      setError(errorText(err, t, 'auth.offline'));
    } finally {
      setBusy(false);
    }
  }

  async function logout() {
    // A consent changed offline (e.g. sharing withdrawn) must reach the account before the session
    // ends; after sign-out this device no longer speaks for it.
    await pushConsents(db).catch(() => undefined);
    // The cases, their answers and photos, unsent reports are this person's: not for whoever
    // signs in next. Offline, the server is told when the network returns.
    await signOut();
  }

  if (user)
    return (
      <main id="main" className="page">
        <h1>{t('settings.account')}</h1>
        <p>{t('auth.signedInAs', { email: user.email })}</p>
        <button type="button" className="btn" onClick={() => void logout()}>
          {t('auth.logout')}
        </button>
        <AccountSecurity />
      </main>
    );

  return (
    <main id="main" className="page">
      <h1>{mode === 'login' ? t('auth.login') : t('auth.register')}</h1>
      <p>{t('auth.why')}</p>
      <form className="stack" onSubmit={(e) => void submit(e)} noValidate>
        {mode === 'register' && (
          <div className="field">
            <label htmlFor="acc-name">{t('auth.displayName')}</label>
            <input
              id="acc-name"
              value={displayName}
              autoComplete="name"
              onChange={(e) => setDisplayName(e.target.value)}
            />
          </div>
        )}
        <div className="field">
          <label htmlFor="acc-email">{t('auth.email')}</label>
          <input
            id="acc-email"
            type="email"
            required
            aria-invalid={tried && !email.trim() ? true : undefined}
            autoComplete="email"
            value={email}
            onChange={(e) => setEmail(e.target.value)}
          />
        </div>
        <div className="field">
          <label htmlFor="acc-pw">{t('auth.password')}</label>
          <input
            id="acc-pw"
            type="password"
            required
            aria-invalid={tried && !password ? true : undefined}
            minLength={mode === 'register' ? PASSWORD_MIN : undefined}
            autoComplete={mode === 'login' ? 'current-password' : 'new-password'}
            aria-describedby={mode === 'register' ? 'acc-pw-hint' : undefined}
            value={password}
            onChange={(e) => setPassword(e.target.value)}
          />
          {mode === 'register' ? (
            <p id="acc-pw-hint" className="hint">
              {t('auth.passwordHint')}
            </p>
          ) : (
            <a href={href({ name: 'forgot' })}>{t('reset.forgotLink')}</a>
          )}
        </div>
        {mode === 'register' && (
          <p>
            {t('privacyNotice.beforeRegister')}{' '}
            <a href={href({ name: 'privacy' })}>{t('privacyNotice.title')}</a>
          </p>
        )}
        <ErrorAlert message={error} />
        <button type="submit" className="btn big primary" disabled={busy}>
          {mode === 'login' ? t('auth.submitLogin') : t('auth.submitRegister')}
        </button>
      </form>
      <p>
        {mode === 'login' ? (
          <a href={href({ name: 'account', mode: 'register' })}>{t('auth.noAccount')}</a>
        ) : (
          <a href={href({ name: 'account', mode: 'login' })}>{t('auth.haveAccount')}</a>
        )}
      </p>
    </main>
  );
}
