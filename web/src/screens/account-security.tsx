import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { EndedSessions } from '@phytodiag/api/contract';
import { errorText } from '../api/error-text';
import { ActionNotice } from '../components/action-notice';
import { ErrorAlert } from '../components/error-alert';
import { NewPasswordField } from '../components/new-password-field';
import { missingText } from '../state/form-checks';
import { useLang } from '../state/library-hooks';
import { useOnline } from '../state/online';
import { useUser } from '../state/session';
import { ApiError, apiJson } from '../api/http';

/**
 * The account's keys: a new password (which signs the account out everywhere else), and « sign
 * out my other devices » for a lost phone or a shared computer. Both need the network: offline
 * the buttons say so instead of queueing (a password is not something to leave in an outbox).
 */
export function AccountSecurity() {
  const { t } = useTranslation();
  const online = useOnline();
  const lang = useLang();
  const user = useUser();
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [busy, setBusy] = useState<'password' | 'others' | null>(null);
  const [error, setError] = useState<{
    on: 'password' | 'others';
    text: string;
    currentWrong?: boolean;
  } | null>(null);
  const [done, setDone] = useState<{ on: 'password' | 'others'; ended: number; at: number } | null>(
    null,
  );

  async function run(on: 'password' | 'others', call: () => Promise<EndedSessions>) {
    setBusy(on);
    setError(null);
    setDone(null);
    try {
      const { ended } = await call();
      setDone({ on, ended, at: Date.now() });
      if (on === 'password') {
        setCurrent('');
        setNext('');
      }
    } catch (err) {
      setError({
        on,
        text: errorText(err, t),
        currentWrong: err instanceof ApiError && err.code === 'CURRENT_PASSWORD_WRONG',
      });
    } finally {
      setBusy(null);
    }
  }

  const changePassword = (e: React.FormEvent) => {
    e.preventDefault();
    const missing = missingText(t, lang, [
      { label: t('auth.fieldCurrentPassword'), empty: !current },
      { label: t('auth.fieldNewPassword'), empty: !next },
    ]);
    if (missing) return setError({ on: 'password', text: missing });
    void run('password', () =>
      apiJson<EndedSessions>('/api/auth/password', {
        method: 'POST',
        json: { currentPassword: current, newPassword: next },
      }),
    );
  };
  const endOthers = () =>
    void run('others', () => apiJson<EndedSessions>('/api/auth/logout-others', { method: 'POST' }));

  return (
    <>
      <section className="card stack" aria-labelledby="pw-h" data-testid="password-change">
        <h2 id="pw-h">{t('security.passwordTitle')}</h2>
        <form className="stack" onSubmit={changePassword} noValidate>
          {/* Which account the new password is for: password managers read it from here. */}
          <input type="email" autoComplete="username" value={user?.email ?? ''} readOnly hidden />
          <div className="field">
            <label htmlFor="pw-current">{t('security.current')}</label>
            <input
              id="pw-current"
              type="password"
              required
              aria-invalid={error?.currentWrong ? true : undefined}
              autoComplete="current-password"
              value={current}
              onChange={(e) => setCurrent(e.target.value)}
            />
          </div>
          <NewPasswordField id="pw-new" value={next} onChange={setNext} />
          <ErrorAlert message={error?.on === 'password' ? error.text : null} />
          {done?.on === 'password' && (
            <ActionNotice key={done.at} testId="password-changed">
              {t('security.changed', { count: done.ended })}
            </ActionNotice>
          )}
          {!online && <p className="hint">{t('security.offline')}</p>}
          <button type="submit" className="btn" disabled={busy !== null || !online}>
            {t('security.change')}
          </button>
        </form>
      </section>
      <section className="card stack" aria-labelledby="devices-h">
        <h2 id="devices-h">{t('security.devicesTitle')}</h2>
        <p id="devices-hint">{t('security.devicesHint')}</p>
        <ErrorAlert message={error?.on === 'others' ? error.text : null} />
        {done?.on === 'others' && (
          <ActionNotice key={done.at} testId="others-signed-out">
            {t('security.othersEnded', { count: done.ended })}
          </ActionNotice>
        )}
        {!online && <p className="hint">{t('security.offline')}</p>}
        <button
          type="button"
          className="btn"
          aria-describedby="devices-hint"
          disabled={busy !== null || !online}
          onClick={endOthers}
        >
          {t('security.endOthers')}
        </button>
      </section>
    </>
  );
}
