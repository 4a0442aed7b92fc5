import { useLiveQuery } from 'dexie-react-hooks';
import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../api/http';
import { ActionNotice } from '../components/action-notice';
import { LocationAccess } from '../components/location-access';
import { MessageThread } from '../components/message-thread';
import { PhotoGallery } from '../components/photo-gallery';
import { PhotoReuse } from '../components/photo-reuse';
import { db } from '../db/db';
import { discardQueuedMessage, messageQueue, queuedMessagesOf } from '../outbox/message-outbox';
import { refreshMyCase } from '../outbox/my-cases';
import { queuedRatingOf, ratingQueue } from '../outbox/rating-outbox';
import { formatDateTime, formatDeadline } from '../state/format';
import type { MyCaseRow } from '../db/types';
import { cropName, displayName, useEntryMap, useLang } from '../state/library-hooks';
import { readNotificationsOf } from '../state/notifications';
import { useOnline } from '../state/online';
import { kickMessages, writeMessage } from '../state/messages-runner';
import { giveRating, kickRatings } from '../state/ratings-runner';
import { href } from '../state/router';
import { useUser } from '../state/session';
import { QueuedRating } from './queued-rating';
import { RatingForm } from './rating-form';

/** Producer's view of one case: answer, sample request, thread, rating. Reads offline. */
/** Statuses in which the lab owes the requester an answer. */
const OWED = new Set<MyCaseRow['status']>(['received', 'in_review', 'sample_received']);

export function CaseDetail({ id }: { id: string }) {
  const { t } = useTranslation();
  const lang = useLang();
  const online = useOnline();
  const user = useUser();
  const entries = useEntryMap();
  const row = useLiveQuery(async () => (await db.myCases.get(id)) ?? null, [id]);
  // This account's messages written here and not on the server yet (no signal, refused).
  const userId = user?.id ?? null;
  const queued = useLiveQuery(() => (userId ? queuedMessagesOf(db, userId, id) : []), [id, userId]);
  // Their rating of the answer given here and not on the server yet.
  const queuedRating = useLiveQuery(
    () => (userId ? queuedRatingOf(db, userId, id) : null),
    [id, userId],
  );
  // 'notFound': the server has no such case for this account (a wrong or someone else's link).
  const [syncError, setSyncError] = useState<'notFound' | 'failed' | null>(null);
  // Rated here and now: the form that had the focus is gone, the thanks take it (ActionNotice).
  const [justRated, setJustRated] = useState(false);
  // Rated here and now with no signal: the notice that it is kept takes the focus.
  const [justKept, setJustKept] = useState(false);
  // When the screen opened: whether a closed case may still be reopened is read against it (the
  // server has the last word if the screen stays open past the limit).
  const [openedAt] = useState(() => Date.now());
  // Whether the screen (and its forms, holding what was typed) is still shown: a refusal that
  // comes after the person left keeps the message or rating on the device instead.
  const shown = useRef(true);
  useEffect(() => {
    shown.current = true;
    return () => {
      shown.current = false;
    };
  }, []);
  const formHolds = useCallback(() => shown.current, []);

  useEffect(() => {
    if (!online || !user) return;
    refreshMyCase(db, id)
      .then(() => readNotificationsOf(id))
      .catch((err: unknown) =>
        setSyncError(err instanceof ApiError && err.status === 404 ? 'notFound' : 'failed'),
      );
  }, [id, online, user]);

  if (row === undefined) return null; // first IndexedDB read
  if (row === null)
    return (
      <main id="main" className="page">
        <h1>{t('cases.detailTitle')}</h1>
        {!user ? (
          <p className="notice warn">
            <a href={href({ name: 'account', mode: 'login' })}>{t('cases.signInToRead')}</a>
          </p>
        ) : (
          <p role={syncError ? 'alert' : 'status'}>
            {syncError === 'notFound'
              ? t('cases.notFound')
              : syncError || !online
                ? t('cases.notSynced')
                : t('app.loading')}
          </p>
        )}
        <p>
          <a href={href({ name: 'cases' })}>{t('app.back')}</a>
        </p>
      </main>
    );

  const a = row.answer;
  const canRate = !!a && (row.status === 'answered' || row.status === 'closed');
  return (
    <main id="main" className="page">
      <p>
        <a href={href({ name: 'cases' })}>{t('app.back')}</a>
      </p>
      <h1>
        {t('cases.detailTitle')} · {cropName(row.crop, entries, lang)}
      </h1>
      <p>
        <span className={`badge status-${row.status}`}>{t(`cases.status.${row.status}`)}</span> ·{' '}
        {formatDateTime(row.createdAt, lang)}
      </p>
      {/* What the lab commits to, while an answer is owed: the requester knows when to expect
          it (and when to call), instead of wondering. */}
      {row.dueAt && OWED.has(row.status) && <AnswerDue dueAt={row.dueAt} />}
      {row.description && <p className="pre">{row.description}</p>}
      {row.photos && <PhotoGallery photos={row.photos} label={t('lab.photos')} />}

      {row.caseRef && (
        <div className="notice" data-testid="sample-request">
          <h2>{t('cases.sampleTitle')}</h2>
          <p>
            {t('cases.sampleRef')} <strong className="case-ref">{row.caseRef}</strong>
          </p>
          {row.sampleInstructions && <p className="pre">{row.sampleInstructions}</p>}
          {row.sampleAddress && (
            <>
              <h3>{t('cases.sampleAddress')}</h3>
              <address className="pre" data-testid="sample-address">
                {row.sampleAddress}
              </address>
            </>
          )}
        </div>
      )}

      {a && (
        <section className="answer" data-testid="answer" aria-labelledby="answer-h">
          <h2 id="answer-h">{t('cases.answer')}</h2>
          <p>
            <strong>
              {a.diagnosisSlug === 'other' ? (
                (a.diagnosisText ?? t('lab.other'))
              ) : (
                <a href={href({ name: 'entry', slug: a.diagnosisSlug })}>
                  {displayName(a.diagnosisSlug, entries, lang)}
                </a>
              )}
            </strong>
            {a.specialistName ? ` — ${a.specialistName}` : ''}
          </p>
          <p className="pre">{a.message}</p>
          {a.recommendations && (
            <>
              <h3>{t('cases.recommendations')}</h3>
              <p className="pre">{a.recommendations}</p>
            </>
          )}
        </section>
      )}

      {row.rating ? (
        justRated ? (
          <ActionNotice testId="rating-done">
            {t('rating.thanks', { score: row.rating.score })}
          </ActionNotice>
        ) : (
          <p className="notice" data-testid="rating-done">
            {t('rating.thanks', { score: row.rating.score })}
          </p>
        )
      ) : queuedRating ? (
        <QueuedRating
          row={queuedRating}
          online={online}
          justKept={justKept}
          onRetry={() =>
            void ratingQueue.retry(db, queuedRating.clientId).then(() => kickRatings(true))
          }
          onDiscard={() => void ratingQueue.discard(db, queuedRating.clientId)}
        />
      ) : (
        canRate &&
        userId && (
          <RatingForm
            offline={!online}
            onRate={async (score, comment) => {
              const input = { userId, escalationId: id, score, comment, online, formHolds };
              const outcome = await giveRating(input);
              setJustRated(outcome === 'sent');
              setJustKept(outcome === 'kept');
            }}
          />
        )
      )}

      {row.consentPhotoReuse !== undefined && user && (
        <PhotoReuse caseId={id} consent={row.consentPhotoReuse} />
      )}
      {row.hasLocation && online && user && <LocationAccess escalationId={id} />}

      <MessageThread
        idPrefix="case"
        messages={row.messages ?? []}
        canSend={!!user}
        offline={!online}
        queued={queued ?? []}
        onRetry={(clientId) => void messageQueue.retry(db, clientId).then(() => kickMessages(true))}
        onDiscard={(clientId) => void discardQueuedMessage(db, clientId)}
        closed={row.status === 'closed'}
        reopenUntil={
          row.reopenableUntil && Date.parse(row.reopenableUntil) > openedAt
            ? row.reopenableUntil
            : null
        }
        newRequestHref={href({ name: 'escalate', diagnosisId: null })}
        onSend={(body, photos) => {
          // The form is shown signed in only (canSend).
          if (!userId) return Promise.reject(new Error('signed out'));
          return writeMessage({ userId, escalationId: id, body, photos, online, formHolds });
        }}
      />
    </main>
  );
}

function AnswerDue({ dueAt }: { dueAt: string }) {
  const { t } = useTranslation();
  const lang = useLang();
  const { endOfDay, text } = formatDeadline(dueAt, lang);
  return (
    <p data-testid="case-due">
      {t(endOfDay ? 'cases.answerDueEndOfDay' : 'cases.answerDue', { date: text })}
    </p>
  );
}
