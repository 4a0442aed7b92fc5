import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Escalation, EscalationMessage, ToBankResult } from '@phytodiag/api/contract';
import type { LibraryEntryRow } from '../db/types';
import { LocationMap } from '../components/location-map';
import { MessageThread } from '../components/message-thread';
import { REOPEN_DAYS } from '../lab/limits';
import { PhotoGallery } from '../components/photo-gallery';
import { RequesterKind } from '../components/requester-kind';
import { ActionNotice } from '../components/action-notice';
import { ErrorAlert } from '../components/error-alert';
import { regionName } from '../components/region-options';
import { errorText } from '../api/error-text';
import { ApiError } from '../api/http';
import {
  caseAction,
  caseToBank,
  closeCase,
  fetchCase,
  fetchMessages,
  postMessage,
  requestSample,
  setRequesterKind,
} from '../lab/lab-api';
import { cannedFromAnswer, prefillCanned } from '../lab/canned-prefill';
import { canTriage } from '../lab/roles';
import { canMove } from '../lab/transitions';
import { telHref } from '../lab/tel-href';
import { formatDateTime, formatProbability } from '../state/format';
import { cropName, cropsOf, displayName, useEntryMap, useLang } from '../state/library-hooks';
import { contextWeighed } from '../result/context-weighed';
import { useOnline } from '../state/online';
import { href, navigate } from '../state/router';
import { dueText } from '../lab/due-text';
import { useUser } from '../state/session';
import { AnswerForm } from './lab-answer-form';
import { Forbidden } from './forbidden';

export function LabCase({ id }: { id: string }) {
  const user = useUser();
  if (!canTriage(user)) return <Forbidden />;
  return <CaseView id={id} />;
}

function CaseView({ id }: { id: string }) {
  const { t } = useTranslation();
  const user = useUser();
  const lang = useLang();
  const online = useOnline();
  const entries = useEntryMap();
  const [esc, setEsc] = useState<Escalation | null>(null);
  const [messages, setMessages] = useState<EscalationMessage[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [instructions, setInstructions] = useState('');
  const [closeMessage, setCloseMessage] = useState('');
  const [done, setDone] = useState<string | null>(null);
  const [banked, setBanked] = useState<ToBankResult | null>(null);

  useEffect(() => {
    let live = true;
    Promise.all([fetchCase(id), fetchMessages(id)])
      .then(([e, thread]) => {
        if (!live) return;
        setEsc(e);
        setMessages(thread.items);
      })
      .catch(
        (err: unknown) =>
          live &&
          setError(
            err instanceof ApiError && err.status === 404 ? t('lab.notFound') : errorText(err, t),
          ),
      );
    return () => {
      live = false;
    };
  }, [id, online, t]);

  /**
   * The lab's actions answer without the exact location (only the case view discloses it, and
   * logs the look for the owner): keep the one this view was given.
   */
  function update(next: Escalation) {
    setEsc((prev) => ({ ...next, location: next.location ?? prev?.location ?? null }));
  }

  /**
   * A 409 means the case changed under this screen (a colleague claimed or answered it, the
   * owner withdrew it): show it as it is now, so the next step is taken on what is true.
   */
  function refreshAfter(err: unknown) {
    if (err instanceof ApiError && err.status === 409) {
      fetchCase(id)
        .then(update)
        .catch(() => undefined);
    }
  }

  async function run(action: () => Promise<Escalation>, doneKey: string) {
    setBusy(true);
    setError(null);
    setDone(null);
    try {
      update(await action());
      setDone(t(doneKey));
    } catch (err) {
      setError(errorText(err, t));
      refreshAfter(err);
    } finally {
      setBusy(false);
    }
  }

  // Never answered nor asked for a sample: closing it must tell the requester why.
  const responded =
    esc?.history.some((h) => h.to === 'answered' || h.to === 'sample_requested') ?? false;
  // A colleague holds an open case: answering needs « Reprendre le dossier » first (the server
  // refuses otherwise, naming them), so nobody duplicates or overrides a colleague's work unawares.
  const heldByColleague =
    esc !== null &&
    esc.assignee !== null &&
    esc.assignee.id !== user?.id &&
    esc.status !== 'answered' &&
    esc.status !== 'closed';

  if (!esc)
    return (
      <main id="main" className="page">
        <p>
          <a href={href({ name: 'lab' })}>{t('lab.backToQueue')}</a>
        </p>
        <h1>{t('lab.caseTitle')}</h1>
        {error ? <ErrorAlert message={error} /> : <p>{t('app.loading')}</p>}
      </main>
    );

  async function toBank(caseId: string) {
    setBusy(true);
    setError(null);
    setDone(null);
    try {
      setBanked(await caseToBank(caseId));
    } catch (err) {
      setError(errorText(err, t));
    } finally {
      setBusy(false);
    }
  }

  // The API accepts answered (or since closed) cases whose owner agreed to photo reuse.
  const bankable =
    esc.consentPhotoReuse &&
    esc.answer !== null &&
    (esc.status === 'answered' || esc.status === 'closed');
  // An answer written by hand with a library diagnosis: worth keeping as a canned answer.
  const answer =
    esc.answer && esc.answer.diagnosisSlug !== 'other' && esc.answer.cannedAnswerId === null
      ? esc.answer
      : null;
  const region = regionName(esc.regionCode);
  const p = esc.prediction;
  return (
    <main id="main" className="page">
      <p>
        <a href={href({ name: 'lab' })}>{t('lab.backToQueue')}</a>
      </p>
      <h1>
        {t('lab.caseTitle')} · {cropName(esc.crop, entries, lang)}
      </h1>
      <p>
        <span className={`badge status-${esc.status}`} data-testid="case-status">
          {t(`lab.caseStatus.${esc.status}`)}
        </span>{' '}
        {esc.overdue && <span className="badge late">{t('lab.overdue')}</span>}{' '}
        {esc.replyWaitingSince && (
          <span className="badge new" data-testid="reply-waiting">
            {t('lab.replyWaiting')}
          </span>
        )}
      </p>
      {esc.replyWaitingSince && (
        <p className="meta">
          {t('lab.replyWaitingSince', { date: formatDateTime(esc.replyWaitingSince, lang) })}
        </p>
      )}
      {esc.dueAt && <p className="meta">{dueText(t, esc.dueAt, lang)}</p>}
      {esc.assignee && (
        <p className="meta">{t('lab.assignee', { name: esc.assignee.name ?? '—' })}</p>
      )}

      <h2>{t('lab.photos')}</h2>
      <PhotoGallery photos={esc.photos} label={t('lab.photos')} />

      <h2>{t('lab.context')}</h2>
      <dl className="facts" data-testid="case-facts">
        <dt>{t('lab.crop')}</dt>
        <dd>{cropName(esc.crop, entries, lang)}</dd>
        <dt>{t('lab.symptoms')}</dt>
        <dd className="pre">{esc.description || '—'}</dd>
        <dt>{t('lab.date')}</dt>
        <dd>{formatDateTime(esc.createdAt, lang)}</dd>
        <dt>{t('lab.region')}</dt>
        <dd>{region ? `${esc.regionCode} – ${region}` : '—'}</dd>
        {esc.location && (
          <>
            <dt>{t('lab.location')}</dt>
            <dd>
              {esc.location.lat.toFixed(5)}, {esc.location.lon.toFixed(5)}
              {esc.location.accuracyM !== undefined &&
                ` (± ${Math.round(esc.location.accuracyM)} m)`}
              <LocationMap
                lat={esc.location.lat}
                lon={esc.location.lon}
                accuracyM={esc.location.accuracyM}
              />
            </dd>
          </>
        )}
        <dt>{t('lab.profileKind')}</dt>
        <dd>
          <RequesterKind
            key={esc.profileKind}
            value={esc.profileKind}
            disabled={busy || !online}
            onSave={(kind) =>
              void run(() => setRequesterKind(esc.id, kind), 'lab.profileKindSaved')
            }
          />
          <span className="hint">{t('lab.profileKindHint')}</span>
        </dd>
        <dt>{t('lab.requesterLanguage')}</dt>
        <dd data-testid="requester-language">
          {t(`lab.languageName.${esc.requesterLanguage}`)}
          {/* A specialist reading French could miss that this person reads English. */}
          {esc.requesterLanguage !== lang && (
            <span className="hint"> {t(`lab.answerIn.${esc.requesterLanguage}`)}</span>
          )}
        </dd>
        {esc.contactPreference && (
          <>
            <dt>{t('lab.contactPreference')}</dt>
            <dd>
              {/* French puts a space before the colon, English does not: the label is a string. */}
              {esc.contactPreference === 'phone' && esc.contactPhone ? (
                <>
                  {t('lab.phoneLabel')}
                  <a href={telHref(esc.contactPhone)}>{esc.contactPhone}</a>
                </>
              ) : (
                t(`lab.contact.${esc.contactPreference}`)
              )}
            </dd>
          </>
        )}
      </dl>

      <h2>{t('lab.onDevice')}</h2>
      {!p ? (
        <p>{t('lab.noPrediction')}</p>
      ) : (
        <>
          <p className="meta">{t('lab.modelVersion', { version: p.modelVersion })}</p>
          <PredictionContext prediction={p} entries={entries} />
          {p.abstained && <p className="notice warn">{t('lab.abstained')}</p>}
          <table className="top5" data-testid="prediction">
            <thead>
              <tr>
                <th scope="col">{t('lab.class')}</th>
                <th scope="col" className="num">
                  {t('result.probability')}
                </th>
              </tr>
            </thead>
            <tbody>
              {p.top.map((c) => (
                <tr key={c.slug}>
                  <td>
                    <a href={href({ name: 'entry', slug: c.slug })}>
                      {displayName(c.slug, entries, lang)}
                    </a>
                  </td>
                  <td className="num">{formatProbability(c.p, lang)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}

      <h2>{t('lab.actions')}</h2>
      <ErrorAlert message={error} />
      {done && <ActionNotice key={done}>{done}</ActionNotice>}
      <div className="row wrap">
        {esc.status === 'received' && (
          <button
            type="button"
            className="btn primary"
            disabled={busy || !online}
            onClick={() => void run(() => caseAction(esc.id, 'claim'), 'lab.claimed')}
          >
            {t('lab.claim')}
          </button>
        )}
        {heldByColleague && (
          <button
            type="button"
            className="btn"
            disabled={busy || !online}
            onClick={() => void run(() => caseAction(esc.id, 'claim', true), 'lab.takenOver')}
          >
            {t('lab.takeOver')}
          </button>
        )}
        {canMove(esc.status, 'sample_received') && (
          <button
            type="button"
            className="btn"
            disabled={busy || !online}
            onClick={() =>
              void run(() => caseAction(esc.id, 'sample-received'), 'lab.sampleReceivedDone')
            }
          >
            {t('lab.sampleReceived')}
          </button>
        )}
        {canMove(esc.status, 'closed') && responded && (
          <button
            type="button"
            className="btn"
            disabled={busy || !online}
            onClick={() => {
              // Closing ends the producer's thread: ask once.
              if (window.confirm(t('lab.closeConfirm', { days: REOPEN_DAYS })))
                void run(() => caseAction(esc.id, 'close'), 'lab.closedDone');
            }}
          >
            {t('lab.close')}
          </button>
        )}
        {bankable && !banked && (
          <button
            type="button"
            className="btn"
            disabled={busy || !online}
            onClick={() => void toBank(esc.id)}
          >
            {t('lab.toBank')}
          </button>
        )}
      </div>
      {banked && (
        <ActionNotice testId="to-bank-done">
          {t('lab.toBankDone', {
            count: banked.added,
            name: displayName(banked.classSlug, entries, lang),
          })}
          {banked.alreadyInBank > 0 &&
            ` ${t('lab.toBankAlready', { count: banked.alreadyInBank })}`}
          {banked.trainingRequestId && ` ${t('lab.toBankQueued')}`}
        </ActionNotice>
      )}

      {esc.caseRef && (
        <div className="notice" data-testid="case-ref">
          <p>
            {t('lab.caseRef')} <strong className="case-ref">{esc.caseRef}</strong>
          </p>
          {esc.sampleInstructions && <p className="pre">{esc.sampleInstructions}</p>}
          {esc.sampleAddress && (
            <p>
              {t('lab.sampleAddressSent')}
              <br />
              <span className="pre">{esc.sampleAddress}</span>
            </p>
          )}
        </div>
      )}

      {esc.answer && (
        <div className="answer card" data-testid="lab-answer">
          <h3>{t('cases.answer')}</h3>
          <p>
            <strong>
              {esc.answer.diagnosisSlug === 'other'
                ? esc.answer.diagnosisText
                : displayName(esc.answer.diagnosisSlug, entries, lang)}
            </strong>
          </p>
          <p className="pre">{esc.answer.message}</p>
          {esc.answer.recommendations && <p className="pre">{esc.answer.recommendations}</p>}
          {answer && (
            <p>
              <button
                type="button"
                className="btn secondary"
                onClick={() => {
                  prefillCanned(cannedFromAnswer(answer, esc.requesterLanguage, entries));
                  navigate({ name: 'canned' });
                }}
              >
                {t('canned.keepAnswer')}
              </button>
            </p>
          )}
        </div>
      )}

      {canMove(esc.status, 'answered') && (
        <AnswerForm
          escalation={esc}
          onAnswered={(answered) => {
            update(answered);
            setDone(t('lab.answeredDone'));
          }}
          onRefused={refreshAfter}
          disabled={!online}
        />
      )}

      {canMove(esc.status, 'sample_requested') && (
        <details className="card">
          <summary>{t('lab.requestSample')}</summary>
          <form
            className="stack lab-form"
            onSubmit={(e) => {
              e.preventDefault();
              if (instructions.trim())
                void run(() => requestSample(esc.id, instructions.trim()), 'lab.sampleRequested');
            }}
          >
            <div className="field">
              <label htmlFor="lab-sample">{t('lab.sampleInstructions')}</label>
              <textarea
                id="lab-sample"
                rows={3}
                required
                value={instructions}
                onChange={(e) => setInstructions(e.target.value)}
              />
            </div>
            <button
              type="submit"
              className="btn"
              disabled={busy || !online || !instructions.trim()}
            >
              {t('lab.requestSample')}
            </button>
          </form>
        </details>
      )}

      {canMove(esc.status, 'closed') && !responded && (
        <details className="card">
          <summary>{t('lab.closeUnanswered')}</summary>
          <form
            className="stack lab-form"
            onSubmit={(e) => {
              e.preventDefault();
              if (closeMessage.trim())
                void run(async () => {
                  const closed = await closeCase(esc.id, closeMessage.trim());
                  // The message went to the thread: show it there.
                  setMessages((await fetchMessages(esc.id)).items);
                  return closed;
                }, 'lab.closedDone');
            }}
          >
            <p className="hint">{t('lab.closeUnansweredHint')}</p>
            <div className="field">
              <label htmlFor="lab-close-msg">{t('lab.closeMessage')}</label>
              <textarea
                id="lab-close-msg"
                rows={3}
                maxLength={5000}
                value={closeMessage}
                onChange={(e) => setCloseMessage(e.target.value)}
              />
            </div>
            <button
              type="submit"
              className="btn"
              disabled={busy || !online || !closeMessage.trim()}
            >
              {t('lab.closeAndSend')}
            </button>
          </form>
        </details>
      )}

      <h2>{t('lab.history')}</h2>
      <ol className="history">
        {esc.history.map((h, i) => (
          <li key={i}>
            {formatDateTime(h.at, lang)} ·{' '}
            {h.from === 'closed' ? t('lab.reopened') : t(`lab.caseStatus.${h.to}`)}
            {h.by?.name ? ` · ${h.by.name}` : ''}
          </li>
        ))}
      </ol>

      <MessageThread
        idPrefix="lab"
        messages={messages}
        canSend={online}
        closed={esc.status === 'closed'}
        onSend={async (body, photos) => {
          const m = await postMessage(esc.id, body, photos);
          setMessages((ms) => [...ms, m]);
          // The lab wrote back: the requester's message no longer waits (as the server now says).
          setEsc((prev) => prev && { ...prev, replyWaitingSince: null });
          return 'sent';
        }}
      />
    </main>
  );
}

/**
 * Whether the device's probabilities were weighed by the context (the declared crop, the lab's
 * season), so that the specialist reads them for what they are. Nothing for older cases.
 */
function PredictionContext({
  prediction,
  entries,
}: {
  prediction: NonNullable<Escalation['prediction']>;
  entries: Map<string, LibraryEntryRow>;
}) {
  const { t } = useTranslation();
  const lang = useLang();
  const context = prediction.context;
  if (context?.priors === undefined) return null;
  const weighed = contextWeighed(context, t, lang, cropsOf(entries.values(), lang));
  return (
    <p className="meta" data-testid="prediction-context">
      {weighed.length > 0 ? t('lab.weighed', { context: weighed.join(', ') }) : t('lab.notWeighed')}
    </p>
  );
}
