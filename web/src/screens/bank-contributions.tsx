import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { BankSubmission } from '@phytodiag/api/contract';
import { errorText } from '../api/error-text';
import { BankPhotoStatus } from '../components/bank-photo-status';
import { BankUploadsWaiting } from '../components/bank-uploads-waiting';
import { ErrorAlert } from '../components/error-alert';
import { fetchSubmissions } from '../lab/lab-api';
import { useWaitingUploads } from '../bank/use-waiting-uploads';
import { canSubmitToBank } from '../lab/roles';
import { submissionLabel } from '../lab/submission-label';
import { formatDateTime } from '../state/format';
import { cropName, useEntryMap, useLang } from '../state/library-hooks';
import { useOnline } from '../state/online';
import { href } from '../state/router';
import { useUser } from '../state/session';
import { Forbidden } from './forbidden';

/**
 * « Mes contributions »: what became of the photos one sent to the bank — waiting, validated,
 * refused or taken back out, with the curator's reason — so a refused photo can be fixed and
 * sent again rather than wondered about.
 */
export function BankContributions() {
  const user = useUser();
  if (user && !canSubmitToBank(user)) return <NoLongerContributor userId={user.id} />;
  if (!user) return <Forbidden audience="contributors" />;
  return <Contributions userId={user.id} />;
}

/**
 * An account that lost its contributor role may still have photos queued on this device: they
 * can no longer be sent (the server refuses them), so they are listed here, to be removed,
 * rather than kept out of sight forever.
 */
function NoLongerContributor({ userId }: { userId: string }) {
  const { t } = useTranslation();
  const waiting = useWaitingUploads(userId);
  if (!waiting) return <Forbidden audience="contributors" />;
  return (
    <main id="main" className="page">
      <h1>{t('bank.mineTitle')}</h1>
      <p className="notice warn">{t('bank.roleLost')}</p>
      <BankUploadsWaiting userId={userId} />
    </main>
  );
}

function Contributions({ userId }: { userId: string }) {
  const { t } = useTranslation();
  const online = useOnline();
  const [items, setItems] = useState<BankSubmission[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  // One fewer upload waiting on the device: it reached the bank (or was removed); list it.
  const waiting = useWaitingUploads(userId);

  useEffect(() => {
    if (!online || waiting === undefined) return;
    fetchSubmissions({ mine: true })
      .then((l) => {
        setItems(l.items);
        setError(null);
      })
      .catch((err: unknown) => setError(errorText(err, t)));
  }, [online, t, waiting]);

  return (
    <main id="main" className="page">
      <p>
        <a href={href({ name: 'bankUpload' })}>{t('bank.uploadTitle')}</a>
      </p>
      <h1>{t('bank.mineTitle')}</h1>
      {!online && items === null && (
        <p className="notice" role="status">
          {t('bank.mineOffline')}
        </p>
      )}
      <ErrorAlert message={error} />
      <BankUploadsWaiting userId={userId} />
      {items && <p role="status">{t('bank.mineCount', { count: items.length })}</p>}
      <ul className="case-list" data-testid="contributions">
        {items?.map((s) => (
          <Contribution key={s.id} s={s} />
        ))}
      </ul>
    </main>
  );
}

function Contribution({ s }: { s: BankSubmission }) {
  const { t } = useTranslation();
  const lang = useLang();
  const entries = useEntryMap();
  const label = submissionLabel(s, t, lang, entries);
  const headingId = `mine-${s.id}`;
  const total = s.images.length;
  return (
    <li className="card" aria-labelledby={headingId}>
      <h2 id={headingId}>{label}</h2>
      <p className="meta">
        {t('bank.sentOn', { date: formatDateTime(s.createdAt, lang) })}
        {' · '}
        {cropName(s.crop, entries, lang)}
      </p>
      <ol className="bank-images" aria-label={t('bank.perPhoto')}>
        {s.images.map((img, i) => (
          <li key={img.id} className="bank-image" data-status={img.status}>
            <img
              src={img.thumbUrl}
              alt={t('lab.photoN', { n: i + 1, total })}
              width={64}
              height={64}
            />
            <BankPhotoStatus img={img} />
          </li>
        ))}
      </ol>
    </li>
  );
}
