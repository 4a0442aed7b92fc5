import { useLiveQuery } from 'dexie-react-hooks';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorText } from '../api/error-text';
import { AlertList } from '../components/alert-list';
import { ErrorAlert } from '../components/error-alert';
import { db } from '../db/db';
import {
  belongsTo,
  isWithdrawable,
  reopenAsDraft,
  retryNow,
  withdrawCase,
} from '../outbox/outbox-repo';
import { addToOpenRequest } from '../outbox/duplicate-to-message';
import { refreshMyCases } from '../outbox/my-cases';
import { AUTH_REQUIRED } from '../outbox/sender';
import { clearFlash, peekFlash } from '../state/flash';
import { formatDateTime } from '../state/format';
import { cropName, displayName, useEntryMap, useLang } from '../state/library-hooks';
import { useOnline } from '../state/online';
import { unreadOf, useNotifications } from '../state/notifications';
import { kickMessages } from '../state/messages-runner';
import { kickOutbox } from '../state/outbox-runner';
import { href, navigate } from '../state/router';
import { useUser } from '../state/session';
import { useSettings } from '../state/settings-hooks';

export function Cases() {
  const { t } = useTranslation();
  const lang = useLang();
  const online = useOnline();
  const user = useUser();
  const entries = useEntryMap();
  const outbox = useLiveQuery(() => db.outbox.orderBy('createdAt').reverse().toArray(), []);
  const mine = useLiveQuery(() => db.myCases.orderBy('updatedAt').reverse().toArray(), []);
  const notifications = useNotifications();

  // Older cases than the newest page, on request: a device mirrors the newest page only. Where
  // they start is kept with the settings, by whichever refresh learnt it (this screen, sign-in,
  // the outbox after sending).
  const older = useSettings()?.olderCasesCursor ?? null;
  const [loadingOlder, setLoadingOlder] = useState(false);
  const [olderError, setOlderError] = useState<string | null>(null);

  // Signed in and online, the server's list is on its way: the "no request yet" card waits for
  // it, rather than flash on a new device before the person's requests arrive.
  const [refreshed, setRefreshed] = useState(false);
  useEffect(() => {
    if (!online || !user) return;
    void refreshMyCases(db)
      .catch(() => undefined)
      .finally(() => setRefreshed(true));
  }, [online, user]);

  async function loadOlder(cursor: string) {
    setLoadingOlder(true);
    setOlderError(null);
    try {
      await refreshMyCases(db, fetch, cursor);
    } catch (err) {
      setOlderError(errorText(err, t));
    } finally {
      setLoadingOlder(false);
    }
  }

  // « Demande enregistrée » when the request form led here.
  const [saved] = useState(peekFlash);
  useEffect(clearFlash, []);

  const known = new Set((mine ?? []).map((m) => m.clientId));
  const unsent = (outbox ?? []).filter((o) => o.state !== 'sent' || !known.has(o.clientId));
  // On a shared device, another account's unsent requests stay private: only counted.
  const owner = user?.id ?? null;
  const waiting = unsent.filter((o) => belongsTo(o, owner));
  const othersWaiting = unsent.filter((o) => o.state !== 'sent' && !belongsTo(o, owner)).length;

  // The flash follows its request: « sera envoyée » while it waits, « envoyée » once the lab has
  // it, nothing once refused (its card says why), rather than a promise beside a failure.
  const savedRow = saved?.clientId
    ? (outbox ?? []).find((o) => o.clientId === saved.clientId)
    : undefined;
  const savedSent =
    savedRow?.state === 'sent' || (saved?.clientId !== undefined && known.has(saved.clientId));
  const savedText = !saved
    ? null
    : savedSent
      ? t('app.requestsSent', { count: 1 })
      : savedRow?.state === 'failed'
        ? null
        : t(saved.i18nKey);

  // Nothing anywhere yet (a new account, a new device): say how a request starts.
  const first =
    (refreshed || !online || !user) &&
    mine?.length === 0 &&
    outbox !== undefined &&
    waiting.length === 0;

  return (
    <main id="main" className="page">
      <h1>{t('cases.title')}</h1>
      {savedText && (
        // Once sent, the sync announcer says so aloud: this line only stops contradicting it.
        <p className="notice" role={savedSent ? undefined : 'status'} data-testid="cases-flash">
          {savedText}
        </p>
      )}
      {first && (
        <section className="card stack" data-testid="first-request">
          <h2>{t('cases.firstTitle')}</h2>
          <p>{t('cases.firstIntro')}</p>
          {/* One under the other: side by side, a 320 px phone cut their words. */}
          <p className="stack">
            <a className="btn big primary" href={href({ name: 'diagnose' })}>
              {t('cases.firstDiagnose')}
            </a>
            <a className="btn big" href={href({ name: 'escalate', diagnosisId: null })}>
              {t('cases.firstAsk')}
            </a>
          </p>
        </section>
      )}
      {!user && (
        <p className="notice warn" data-testid="cases-sign-in">
          {t('cases.signInWhy')}{' '}
          <a href={href({ name: 'account', mode: 'login' })}>{t('cases.signIn')}</a> ·{' '}
          <a href={href({ name: 'account', mode: 'register' })}>{t('auth.register')}</a>
        </p>
      )}
      <AlertList />
      <h2>{t('cases.outbox')}</h2>
      {waiting.length === 0 && <p>{t('cases.none')}</p>}
      {othersWaiting > 0 && (
        <p className="meta" data-testid="others-waiting">
          {t('cases.othersWaiting', { count: othersWaiting })}
        </p>
      )}
      <ul className="case-list" data-testid="outbox-list">
        {waiting.map((o) => (
          <li key={o.clientId} className="card" data-state={o.state}>
            <p>
              <span className={`badge state-${o.state}`}>
                {t(
                  o.state === 'failed' && !o.permanentError
                    ? 'cases.states.retrying'
                    : `cases.states.${o.state}`,
                )}
              </span>{' '}
              <strong>{cropName(o.case.crop, entries, lang)}</strong> ·{' '}
              {formatDateTime(o.createdAt, lang)}
            </p>
            {o.case.description && <p>{o.case.description}</p>}
            {o.lastError === AUTH_REQUIRED ? (
              <p className="notice warn">{t('cases.waitingSignIn')}</p>
            ) : (
              o.lastError &&
              (!o.permanentError ? (
                // No answer, or the server could not take it now: the sender tries again by
                // itself. Not an alarm, and not the browser's « Failed to fetch ».
                <p className="notice warn">{t('cases.willRetry')}</p>
              ) : (
                <p className="notice error" role="alert">
                  {o.lastError}
                  {o.state === 'failed' && o.duplicateOf && (
                    <>
                      {' '}
                      <a href={href({ name: 'case', id: o.duplicateOf })}>
                        {t('cases.openDuplicate')}
                      </a>
                    </>
                  )}
                </p>
              ))
            )}
            {o.attempts > 0 && <p className="meta">{t('cases.attempts', { count: o.attempts })}</p>}
            {o.state === 'failed' && o.duplicateOf && user && o.case.description.trim() && (
              // Sent again it would be refused the same way while that request is open.
              <button
                type="button"
                className="btn primary"
                onClick={() =>
                  void addToOpenRequest(db, o.clientId, user.id).then((id) => {
                    if (!id) return;
                    void kickMessages(true);
                    navigate({ name: 'case', id });
                  })
                }
              >
                {t('cases.addToDuplicate')}
              </button>
            )}
            {o.state === 'failed' && (
              <button
                type="button"
                className="btn"
                onClick={() => void retryNow(db, o.clientId).then(() => kickOutbox(true))}
              >
                {t('cases.retry')}
              </button>
            )}
            {isWithdrawable(o) && o.form && (
              <button
                type="button"
                className="btn"
                onClick={() =>
                  void reopenAsDraft(db, o.clientId).then((form) => {
                    if (form) {
                      navigate({
                        name: 'escalate',
                        diagnosisId: form.diagnosisId,
                        ...(form.about ? { about: form.about } : {}),
                      });
                    }
                  })
                }
              >
                {t('cases.edit')}
              </button>
            )}
            {isWithdrawable(o) && (
              <button
                type="button"
                className="btn"
                onClick={() => {
                  if (window.confirm(t('cases.withdrawConfirm'))) void withdrawCase(db, o.clientId);
                }}
              >
                {t('cases.withdraw')}
              </button>
            )}
            {o.state === 'draft' && (
              <a
                className="btn"
                href={href({
                  name: 'escalate',
                  diagnosisId: o.form?.diagnosisId ?? null,
                  ...(o.form?.about ? { about: o.form.about } : {}),
                })}
              >
                {t('cases.continueDraft')}
              </a>
            )}
            {o.state === 'queued' && online && user && (
              <button type="button" className="btn" onClick={() => void kickOutbox(true)}>
                {t('cases.sendNow')}
              </button>
            )}
          </li>
        ))}
      </ul>
      <h2>{t('cases.sent')}</h2>
      {mine && mine.length === 0 && <p>{t('cases.none')}</p>}
      <ul className="case-list" data-testid="my-cases">
        {mine?.map((m) => (
          <li key={m.id} className="card">
            {/* The request's own heading: moving by headings tells the requests apart (the
                answers' headings all read the same). */}
            <h3 className="case-title">
              <a href={href({ name: 'case', id: m.id })}>
                {cropName(m.crop, entries, lang)} · {formatDateTime(m.createdAt, lang)}
              </a>
            </h3>
            <p>
              <span className={`badge status-${m.status}`}>{t(`cases.status.${m.status}`)}</span>{' '}
              {unreadOf(notifications, m.id) > 0 && (
                <span className="badge new" data-testid="case-unread">
                  {t('cases.unread', { count: unreadOf(notifications, m.id) })}
                </span>
              )}
            </p>
            {m.description && <p>{m.description}</p>}
            {m.answer && (
              <div className="answer">
                <h4>{t('cases.answer')}</h4>
                <p>
                  <strong>{displayName(m.answer.diagnosisSlug, entries, lang)}</strong>
                  {m.answer.specialistName ? ` — ${m.answer.specialistName}` : ''}
                </p>
                <p>{m.answer.message}</p>
              </div>
            )}
          </li>
        ))}
      </ul>
      {older && online && user && (
        <button
          type="button"
          className="btn secondary"
          disabled={loadingOlder}
          onClick={() => void loadOlder(older)}
        >
          {loadingOlder ? t('app.loading') : t('cases.older')}
        </button>
      )}
      <ErrorAlert message={olderError} />
    </main>
  );
}
