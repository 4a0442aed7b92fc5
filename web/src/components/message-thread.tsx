import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { EscalationMessage } from '@phytodiag/api/contract';
import { errorText } from '../api/error-text';
import { MESSAGE_PHOTO_MAX } from '../lab/limits';
import { formatDateTime } from '../state/format';
import { useLang } from '../state/library-hooks';
import { ActionNotice } from './action-notice';
import { ErrorAlert } from './error-alert';
import { PhotoGallery } from './photo-gallery';

interface Props {
  messages: EscalationMessage[];
  onSend: (body: string, photos: File[]) => Promise<void>;
  /** False offline: the thread stays readable, sending waits for the network. */
  canSend: boolean;
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
}: Props) {
  const { t } = useTranslation();
  const lang = useLang();
  const [body, setBody] = useState('');
  const [photos, setPhotos] = useState<File[]>([]);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [sent, setSent] = useState<'sent' | 'reopened' | null>(null);
  const reopening = closed && reopenUntil !== null;

  async function submit(e: React.FormEvent) {
    e.preventDefault();
    if (!body.trim()) return;
    setBusy(true);
    setError(null);
    setSent(null);
    try {
      await onSend(body.trim(), photos);
      setBody('');
      setPhotos([]);
      setSent(reopening ? 'reopened' : 'sent');
    } catch (err) {
      setError(errorText(err, t));
    } finally {
      setBusy(false);
    }
  }

  return (
    <section aria-labelledby={`${idPrefix}-thread-h`}>
      <h2 id={`${idPrefix}-thread-h`}>{t('thread.title')}</h2>
      {messages.length === 0 && <p>{t('thread.none')}</p>}
      <ol className="thread" data-testid="thread">
        {messages.map((m) => (
          <li key={m.id} className={`card msg ${m.fromOwner ? 'from-owner' : 'from-lab'}`}>
            <p className="meta">
              <strong>
                {m.fromOwner ? t('thread.producer') : (m.author.name ?? t('thread.lab'))}
              </strong>{' '}
              · {formatDateTime(m.createdAt, lang)}
            </p>
            <p className="pre">{m.body}</p>
            <PhotoGallery photos={m.photos} label={t('thread.photos')} />
          </li>
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
                setPhotos((p) => [...p, ...files].slice(0, MESSAGE_PHOTO_MAX));
              }}
            />
            {photos.length > 0 && (
              <p role="status">
                {t('thread.photoCount', { count: photos.length })}{' '}
                <button type="button" className="btn small" onClick={() => setPhotos([])}>
                  {t('thread.removePhotos')}
                </button>
              </p>
            )}
          </div>
          <ErrorAlert message={error} />
          {sent && (
            <ActionNotice>
              {t(sent === 'reopened' ? 'thread.reopened' : 'thread.sent')}
            </ActionNotice>
          )}
          <button type="submit" className="btn primary" disabled={busy || !body.trim()}>
            {t(reopening ? 'thread.reopenSend' : 'thread.send')}
          </button>
        </form>
      ) : (
        <p className="notice warn">{t('thread.offline')}</p>
      )}
    </section>
  );
}
