import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { BankSubmission } from '@phytodiag/api/contract';
import { errorText } from '../api/error-text';
import { ApiError } from '../api/http';
import { ErrorAlert } from '../components/error-alert';
import { PhotoGallery } from '../components/photo-gallery';
import { regionName } from '../components/region-options';
import { fetchSubmissions, rejectSubmission, validateSubmission } from '../lab/lab-api';
import { canCurate } from '../lab/roles';
import { displayName, useEntryMap, useLang } from '../state/library-hooks';
import { useOnline } from '../state/online';
import { useUser } from '../state/session';
import { Forbidden } from './forbidden';

export function BankReview() {
  const user = useUser();
  if (!canCurate(user)) return <Forbidden />;
  return <Review />;
}

function Review() {
  const { t } = useTranslation();
  const online = useOnline();
  const [items, setItems] = useState<BankSubmission[] | null>(null);
  const [error, setError] = useState<string | null>(null);

  const load = useCallback(() => {
    fetchSubmissions('pending')
      .then((l) => setItems(l.items))
      .catch((err: unknown) => setError(errorText(err, t)));
  }, [t]);

  useEffect(() => {
    if (online) load();
  }, [online, load]);

  return (
    <main id="main" className="page">
      <h1>{t('bank.reviewTitle')}</h1>
      <ErrorAlert message={error} />
      {items && <p role="status">{t('bank.pending', { count: items.length })}</p>}
      <ul className="case-list" data-testid="submissions">
        {items?.map((s) => (
          <Submission
            key={s.id}
            s={s}
            onDone={() => setItems((xs) => (xs ?? []).filter((x) => x.id !== s.id))}
          />
        ))}
      </ul>
    </main>
  );
}

function Submission({ s, onDone }: { s: BankSubmission; onDone: () => void }) {
  const { t } = useTranslation();
  const lang = useLang();
  const entries = useEntryMap();
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const label = s.classSlug
    ? displayName(s.classSlug, entries, lang)
    : s.proposedClass
      ? `${lang === 'fr' ? s.proposedClass.nameFr : s.proposedClass.nameEn} (${t('bank.proposed')})`
      : '—';

  async function act(fn: () => Promise<unknown>) {
    setBusy(true);
    setError(null);
    try {
      await fn();
      onDone();
    } catch (err) {
      setError(err instanceof ApiError ? err.message : String(err));
      setBusy(false);
    }
  }

  const headingId = `sub-${s.id}`;
  return (
    <li className="card" aria-labelledby={headingId}>
      <h2 id={headingId}>{label}</h2>
      <p className="meta">
        {s.crop}
        {s.date ? ` · ${s.date}` : ''}
        {s.regionCode ? ` · ${regionName(s.regionCode) ?? s.regionCode}` : ''}
        {' · '}
        {t('bank.by', { name: s.authorCredit, licence: s.licence })}
      </p>
      <PhotoGallery photos={s.images} label={t('lab.photos')} />
      <ErrorAlert message={error} />
      <div className="row wrap">
        <button
          type="button"
          className="btn primary"
          disabled={busy}
          onClick={() => void act(() => validateSubmission(s.id))}
        >
          {t('bank.validate')}
        </button>
      </div>
      <form
        className="stack lab-form"
        onSubmit={(e) => {
          e.preventDefault();
          if (reason.trim()) void act(() => rejectSubmission(s.id, reason.trim()));
        }}
      >
        <div className="field">
          <label htmlFor={`${headingId}-reason`}>{t('bank.reason')}</label>
          <input
            id={`${headingId}-reason`}
            required
            maxLength={1000}
            value={reason}
            onChange={(e) => setReason(e.target.value)}
          />
        </div>
        <button type="submit" className="btn" disabled={busy || !reason.trim()}>
          {t('bank.reject')}
        </button>
      </form>
    </li>
  );
}
