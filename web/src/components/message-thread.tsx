import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { EscalationMessage } from '@phytodiag/api/contract';
import type { MessageOutboxRow } from '../db/types';
import { errorText } from '../api/error-text';
import { preparePicked, PickedRefusals, type PickedPhotos } from '../capture/prepare-picked';
import { preparePhoto } from '../capture/prepare-photo';
import { MESSAGE_PHOTO_MAX } from '../lab/limits';
import { messageTimeText } from '../lab/written-at';
import { formatDateTime } from '../state/format';
import { useLang } from '../state/library-hooks';
import { ActionNotice } from './action-notice';
import { ErrorAlert } from './error-alert';
import { PhotoGallery } from './photo-gallery';

interface Props {
  messages: EscalationMessage[];
  /** 'kept': no network, the message waits on the device (shown in `queued`) and goes later. */
  onSend: (body: string, photos: Blob[]) => Promise<'sent' | 'kept'>;
  /** False: the thread stays readable, and says that writing waits for the network. */
  canSend: boolean;
  /** The form writes offline too (the requester's view): it says the message will wait. */
  offline?: boolean;
  /** The requester's messages still on the device, after the thread, with what became of them. */
  queued?: MessageOutboxRow[];
  onRetry?: (clientId: string) => void;
  onDiscard?: (clientId: string) => void;
  /** A closed case takes no more messages (the server refuses them): said, not a dead form. */
  closed?: boolean;
  /** Its requester's own closed case: until when their message reopens it (else null). */
  reopenUntil?: string | null;
  /** The requester's view: where a new request starts, offered under a closed case. */
  newRequestHref?: string;
  idPrefix: string;
}

export function MessageThread({
  messages,
  onSend,
  canSend,
  closed = false,
  reopenUntil = null,
  newRequestHref,
  idPrefix,
  offline = false,
  queued = [],
  onRetry,
  onDiscard,
}: Props) {
  const { t } = useTranslation();
  const lang = useLang();
  const [body, setBody] = useState('');
  // Made small enough for a weak uplink (preparePhoto), as the request's photos are.
  const [photos, setPhotos] = useState<Blob[]>([]);
  // Photos still being prepared: « Envoyer » waits for them, or the message would go without.
  const [preparing, setPreparing] = useState(0);
  const [refusedPhotos, setRefusedPhotos] = useState<
    Pick<PickedPhotos<Blob>, 'unreadable' | 'tooSmall'>
  >({ unreadable: [], tooSmall: [] });
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  // 'keptCut': kept after a try cut on a working network, which « Pas de réseau » would misname.
  const [sent, setSent] = useState<'sent' | 'reopened' | 'kept' | 'keptCut' | null>(null);
  const reopening = closed && reopenUntil !== null;
  // « Gardé sur cet appareil » turns into « Message envoyé » when the queue empties by itself (its
  // messages went); a message deleted by hand, or refused once online, clears it instead.
  const hadQueued = useRef(false);
  const refusedQueued = queued.some((q) => q.permanentError);
  useEffect(() => {
    if (queued.length > 0) hadQueued.current = true;
    else if (hadQueued.current) {
      hadQueued.current = false;
      setSent((s) => (isKept(s) ? 'sent' : s));
    }
  }, [queued.length]);
  const notice = isKept(sent) && refusedQueued ? null : sent;

  async function submit(e: React.FormEvent) {
    e.preventDefault();
    if (!body.trim()) return;
    setBusy(true);
    setError(null);
    setSent(null);
    try {
      const outcome = await onSend(body.trim(), photos);
      setBody('');
      setPhotos([]);
      setRefusedPhotos({ unreadable: [], tooSmall: [] });
      if (outcome === 'kept') setSent(offline ? 'kept' : 'keptCut');
      else setSent(reopening ? 'reopened' : 'sent');
    } catch (err) {
      setError(errorText(err, t));
    } finally {
      setBusy(false);
    }
  }

  return (
    <section aria-labelledby={`${idPrefix}-thread-h`}>
      <h2 id={`${idPrefix}-thread-h`}>{t('thread.title')}</h2>
      {messages.length === 0 && queued.length === 0 && <p>{t('thread.none')}</p>}
      <ol className="thread" data-testid="thread">
        {messages.map((m) => (
          <li key={m.id} className={`card msg ${m.fromOwner ? 'from-owner' : 'from-lab'}`}>
            <p className="meta">
              <strong>
                {m.fromOwner ? t('thread.producer') : (m.author.name ?? t('thread.lab'))}
              </strong>{' '}
              · {messageTimeText(m, t, lang)}
            </p>
            <p className="pre">{m.body}</p>
            <PhotoGallery photos={m.photos} label={t('thread.photos')} />
          </li>
        ))}
        {queued.map((q) => (
          <QueuedMessage
            key={q.clientId}
            row={q}
            online={!offline}
            newRequestHref={newRequestHref}
            onRetry={onRetry}
            onDiscard={
              onDiscard &&
              ((clientId) => {
                setSent(null);
                onDiscard(clientId);
              })
            }
          />
        ))}
      </ol>
      {closed && !reopening ? (
        <p className="notice" data-testid={`${idPrefix}-closed`}>
          {t('thread.closed')}
          {newRequestHref && (
            <>
              {' '}
              <a href={newRequestHref}>{t('thread.closedNew')}</a>
            </>
          )}
        </p>
      ) : canSend ? (
        <form className="stack lab-form" onSubmit={(e) => void submit(e)}>
          {offline && <p className="notice warn">{t('thread.keptOffline')}</p>}
          {reopening && (
            <p className="notice" data-testid={`${idPrefix}-reopen`}>
              {t('thread.reopenIntro', { date: formatDateTime(reopenUntil, lang) })}
            </p>
          )}
          <div className="field">
            <label htmlFor={`${idPrefix}-msg`}>{t('thread.reply')}</label>
            <textarea
              id={`${idPrefix}-msg`}
              rows={3}
              value={body}
              required
              maxLength={5000}
              onChange={(e) => {
                setBody(e.target.value);
                setSent(null);
              }}
            />
          </div>
          <div className="row wrap">
            <label className="btn" htmlFor={`${idPrefix}-msg-photo`}>
              {t('thread.addPhoto')}
            </label>
            <input
              id={`${idPrefix}-msg-photo`}
              className="visually-hidden"
              type="file"
              accept="image/*"
              multiple
              data-testid={`${idPrefix}-msg-photo`}
              onChange={(e) => {
                const files = [...(e.target.files ?? [])];
                e.target.value = '';
                setPreparing((n) => n + 1);
                void preparePicked(files, MESSAGE_PHOTO_MAX - photos.length, preparePhoto, (i) =>
                  t('capture.photoAlt', { n: photos.length + i + 1 }),
                )
                  .then(({ kept, ...refused }) => {
                    setRefusedPhotos(refused);
                    setPhotos((p) => [...p, ...kept].slice(0, MESSAGE_PHOTO_MAX));
                  })
                  .finally(() => setPreparing((n) => n - 1));
              }}
            />
            {preparing > 0 && <p role="status">{t('thread.preparing')}</p>}
            {photos.length > 0 && (
              <p role="status">
                {t('thread.photoCount', { count: photos.length })}{' '}
                <button type="button" className="btn small" onClick={() => setPhotos([])}>
                  {t('thread.removePhotos')}
                </button>
              </p>
            )}
          </div>
          <PickedRefusals {...refusedPhotos} />
          <ErrorAlert message={error} />
          {notice && <ActionNotice>{t(`thread.${notice}`)}</ActionNotice>}
          <button
            type="submit"
            className="btn primary"
            disabled={busy || preparing > 0 || !body.trim()}
          >
            {t(reopening ? 'thread.reopenSend' : 'thread.send')}
          </button>
        </form>
      ) : (
        <p className="notice warn">{t('thread.offline')}</p>
      )}
    </section>
  );
}

/** The form's notice says its message is kept on this device (offline, or its try cut). */
const isKept = (s: string | null): boolean => s === 'kept' || s === 'keptCut';

/** A message of the requester's still on this device: waiting, being sent, or refused (why). */
function QueuedMessage({
  row,
  online,
  newRequestHref,
  onRetry,
  onDiscard,
}: {
  row: MessageOutboxRow;
  online: boolean;
  newRequestHref: string | undefined;
  onRetry: ((clientId: string) => void) | undefined;
  onDiscard: ((clientId: string) => void) | undefined;
}) {
  const { t } = useTranslation();
  const lang = useLang();
  const refused = row.permanentError;
  const reason = row.lastError ?? '';
  let state = t('thread.queued');
  if (refused) state = t('thread.refused', { reason });
  else if (row.state === 'sending') state = t('thread.sending');
  // The server could not take it now (its limit, a failure): it says why.
  else if (row.errorCode) state = t('thread.later', { reason });
  // A try cut on a working network (a lost answer, a dropped signal): not waiting for it.
  else if (online && row.attempts > 0) state = t('thread.retrying');
  return (
    <li className="card msg from-owner queued" data-testid="queued-message">
      <p className="meta">
        <strong>{t('thread.producer')}</strong> · {formatDateTime(row.createdAt, lang)}
      </p>
      <p className="pre">{row.body}</p>
      {row.photos.length > 0 && <p>{t('thread.photoCount', { count: row.photos.length })}</p>}
      <p className={refused ? 'notice warn' : undefined} data-testid="queued-state">
        {state}
        {refused && row.errorCode?.startsWith('CASE_CLOSED') && newRequestHref && (
          <>
            {' '}
            <a href={newRequestHref}>{t('thread.closedNew')}</a>
          </>
        )}
      </p>
      {row.state !== 'sending' && (
        <div className="row wrap">
          {refused && onRetry && (
            <button type="button" className="btn" onClick={() => onRetry(row.clientId)}>
              {t('thread.retry')}
            </button>
          )}
          {onDiscard && (
            <button type="button" className="btn" onClick={() => onDiscard(row.clientId)}>
              {t('thread.discard')}
            </button>
          )}
        </div>
      )}
    </li>
  );
}
