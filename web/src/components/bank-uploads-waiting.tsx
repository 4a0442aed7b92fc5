import { useLiveQuery } from 'dexie-react-hooks';
import { useTranslation } from 'react-i18next';
import { retryBankUpload, forgetBankUpload } from '../bank/bank-upload-repo';
import { db } from '../db/db';
import type { BankUploadRow, LibraryEntryRow } from '../db/types';
import { submissionLabel } from '../lab/submission-label';
import { kickBankUploads } from '../state/bank-uploads-runner';
import { formatDateTime } from '../state/format';
import { useEntryMap, useLang } from '../state/library-hooks';
import { useOnline } from '../state/online';
import { BlobImage } from './library-image';
import { TwoStepButton } from './two-step-button';

/**
 * « En attente d'envoi sur cet appareil »: the photos an agronomist queued for the bank (no
 * signal in the field, an upload that failed), with what is holding each back. Only the signed-in
 * author's: another account's queued photos on a shared tablet are not theirs to see.
 */
export function BankUploadsWaiting({ userId }: { userId: string }) {
  const { t } = useTranslation();
  // Read once for the list, not once per card (each would re-read the whole library table).
  const entries = useEntryMap();
  const rows = useLiveQuery(
    () => db.bankUploads.where('userId').equals(userId).sortBy('createdAt'),
    [userId],
  );
  if (!rows || rows.length === 0) return null;
  return (
    <section aria-labelledby="bank-waiting" data-testid="bank-waiting">
      <h2 id="bank-waiting">{t('bank.waitingTitle')}</h2>
      <p>{t('bank.waitingCount', { count: rows.length })}</p>
      <ul className="case-list">
        {rows.map((r) => (
          <WaitingUpload key={r.clientId} row={r} entries={entries} />
        ))}
      </ul>
    </section>
  );
}

function WaitingUpload({
  row,
  entries,
}: {
  row: BankUploadRow;
  entries: Map<string, LibraryEntryRow>;
}) {
  const { t } = useTranslation();
  const lang = useLang();
  const online = useOnline();
  const headingId = `waiting-${row.clientId}`;
  const state = row.permanentError
    ? t('bank.waitingState.refused', { reason: row.lastError ?? '' })
    : !online
      ? t('bank.waitingState.offline')
      : row.state === 'sending'
        ? t('bank.waitingState.sending')
        : row.state === 'failed'
          ? t('bank.waitingState.retry')
          : t('bank.waitingState.queued');
  return (
    <li className="card" aria-labelledby={headingId} data-testid="bank-waiting-item">
      <h3 id={headingId}>{submissionLabel(row.meta, t, lang, entries)}</h3>
      <p className="meta">
        {t('bank.keptOn', { date: formatDateTime(row.createdAt, lang) })}
        {' · '}
        {t('bank.waitingPhotos', { count: row.photos.length })}
      </p>
      <p className={row.permanentError ? 'notice error' : undefined}>{state}</p>
      <ul className="photo-list">
        {row.photos.map((p, i) => (
          <li key={i}>
            <BlobImage blob={p} alt={t('capture.photoAlt', { n: i + 1 })} size={64} />
          </li>
        ))}
      </ul>
      {(row.permanentError || row.state === 'failed') && online && (
        <p>
          <button
            type="button"
            className="btn"
            onClick={() => void retryBankUpload(db, row.clientId).then(() => kickBankUploads(true))}
          >
            {t('bank.retryUpload')}
          </button>
        </p>
      )}
      <TwoStepButton
        label={t('bank.removeUpload')}
        question={t('bank.removeQuestion')}
        confirmLabel={t('bank.removeConfirm')}
        cancelLabel={t('bank.removeCancel')}
        onConfirm={() => void forgetBankUpload(db, row.clientId)}
      />
    </li>
  );
}
