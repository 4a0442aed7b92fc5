import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { PasswordResetInfo, User } from '@phytodiag/api/contract';
import { errorText } from '../api/error-text';
import { apiJson } from '../api/http';
import { ErrorAlert } from '../components/error-alert';
import { ActionNotice } from '../components/action-notice';
import { NewPasswordField } from '../components/new-password-field';
import { missingText } from '../state/form-checks';
import { useLang } from '../state/library-hooks';
import { useMailEnabled } from '../state/mail-enabled';
import { useOnline } from '../state/online';
import { href } from '../state/router';
import { completeSignIn } from '../state/sign-in';

/** « Mot de passe oublié » : asks the server to e-mail a link (#/reset?token=…). */
export function ForgotPassword() {
  const { t } = useTranslation();
  const lang = useLang();
  const online = useOnline();
  const [email, setEmail] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [sent, setSent] = useState<{ to: string; mailEnabled: boolean } | null>(null);
  // Said before anyone types: on a server that sends no e-mail, no link can come.
  const mailEnabled = useMailEnabled(online);

  async function submit(e: React.FormEvent) {
    e.preventDefault();
    const missing = missingText(t, lang, [{ label: t('auth.fieldEmail'), empty: !email.trim() }]);
    if (missing) return setError(missing);
    setBusy(true);
    setError(null);
    setSent(null);
    try {
      const { mailEnabled } = await apiJson<PasswordResetInfo>('/api/auth/password-reset', {
        method: 'POST',
        json: { email: email.trim() },
      });
      setSent({ to: email.trim(), mailEnabled });
    } catch (err) {
      setError(errorText(err, t));
    } finally {
      setBusy(false);
    }
  }

  if (mailEnabled === false && !sent)
    return (
      <main id="main" className="page">
        <h1>{t('reset.forgotTitle')}</h1>
        <p className="notice warn" data-testid="reset-no-mail">
          {t('reset.noMail')}
        </p>
        <p>
          <a href={href({ name: 'account', mode: 'register' })}>{t('auth.register')}</a> ·{' '}
          <a href={href({ name: 'account', mode: 'login' })}>{t('reset.backToLogin')}</a>
        </p>
      </main>
    );

  return (
    <main id="main" className="page">
      <h1>{t('reset.forgotTitle')}</h1>
      <p id="forgot-hint">{t('reset.forgotHint')}</p>
      <form className="stack" onSubmit={(e) => void submit(e)} noValidate>
        <div className="field">
          <label htmlFor="forgot-email">{t('auth.email')}</label>
          <input
            id="forgot-email"
            type="email"
            required
            autoComplete="email"
            aria-describedby="forgot-hint"
            value={email}
            onChange={(e) => setEmail(e.target.value)}
          />
        </div>
        <ErrorAlert message={error} />
        {sent && (
          <ActionNotice key={sent.to} testId="reset-requested">
            {sent.mailEnabled ? t('reset.sent', { email: sent.to }) : t('reset.noMail')}
          </ActionNotice>
        )}
        {!online && <p className="hint">{t('reset.offline')}</p>}
        <button type="submit" className="btn big primary" disabled={busy || !online}>
          {t('reset.send')}
        </button>
      </form>
      <p>
        <a href={href({ name: 'account', mode: 'login' })}>{t('reset.backToLogin')}</a>
      </p>
    </main>
  );
}

/** The e-mailed link's screen: a new password, then the device is signed in. */
export function ResetPassword({ token }: { token: string }) {
  const { t } = useTranslation();
  const lang = useLang();
  const online = useOnline();
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function submit(e: React.FormEvent) {
    e.preventDefault();
    const missing = missingText(t, lang, [{ label: t('auth.fieldNewPassword'), empty: !password }]);
    if (missing) return setError(missing);
    setBusy(true);
    setError(null);
    try {
      const u = await apiJson<User>('/api/auth/password-reset/confirm', {
        method: 'POST',
        json: { token, newPassword: password },
      });
      setPassword('');
      await completeSignIn(u);
    } catch (err) {
      setError(errorText(err, t));
    } finally {
      setBusy(false);
    }
  }

  // A link cut short (mail clients wrap long lines): no form to fill in for nothing.
  if (!token)
    return (
      <main id="main" className="page">
        <h1>{t('reset.title')}</h1>
        <p className="notice warn" data-testid="reset-link-incomplete">
          {t('reset.incomplete')}
        </p>
        <p>
          <a href={href({ name: 'forgot' })}>{t('reset.askAgain')}</a>
        </p>
      </main>
    );

  return (
    <main id="main" className="page">
      <h1>{t('reset.title')}</h1>
      <form className="stack" onSubmit={(e) => void submit(e)} noValidate>
        <NewPasswordField id="reset-pw" value={password} onChange={setPassword} />
        <ErrorAlert message={error} />
        {!online && <p className="hint">{t('reset.offline')}</p>}
        <button type="submit" className="btn big primary" disabled={busy || !online}>
          {t('reset.submit')}
        </button>
      </form>
      <p>
        <a href={href({ name: 'forgot' })}>{t('reset.askAgain')}</a>
      </p>
    </main>
  );
}
