import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { BankSubmission } from '@phytodiag/api/contract';
import { errorText } from '../api/error-text';
import { rescueFocus } from '../components/action-notice';
import { ErrorAlert } from '../components/error-alert';
import { BankPhotoStatus } from '../components/bank-photo-status';
import { PhotoGallery } from '../components/photo-gallery';
import { regionName } from '../components/region-options';
import {
  fetchSubmissions,
  rejectSubmission,
  validateSubmission,
  withdrawSubmission,
} from '../lab/lab-api';
import { licenceKey } from '../lab/licences';
import { canCurate } from '../lab/roles';
import { submissionLabel } from '../lab/submission-label';
import { formatDay } from '../state/format';
import { cropName, useEntryMap, useLang } from '../state/library-hooks';
import { useOnline } from '../state/online';
import { href } from '../state/router';
import { useUser } from '../state/session';
import { Forbidden } from './forbidden';

export function BankReview() {
  const user = useUser();
  if (!canCurate(user)) return <Forbidden />;
  return <Review />;
}

/**
 * What the screen lists: photos awaiting a decision, or those already in the bank — a batch found
 * mislabelled after its validation is taken back out from there.
 */
type View = 'pending' | 'validated';

function Review() {
  const { t } = useTranslation();
  const online = useOnline();
  const [view, setView] = useState<View>('pending');
  const [items, setItems] = useState<BankSubmission[] | null>(null);
  const [error, setError] = useState<string | null>(null);

  const load = useCallback(() => {
    fetchSubmissions({ status: view })
      .then((l) => {
        setItems(l.items);
        setError(null);
      })
      .catch((err: unknown) => setError(errorText(err, t)));
  }, [t, view]);

  useEffect(() => {
    if (online) load();
  }, [online, load]);

  return (
    <main id="main" className="page">
      <p>
        <a href={href({ name: 'lab' })}>{t('lab.backToQueue')}</a>
      </p>
      {/* The heading names the list shown: « Photos à valider » over validated ones misled. */}
      <h1>{t(view === 'pending' ? 'bank.reviewTitle' : 'bank.validatedTitle')}</h1>
      <div className="row wrap" role="group" aria-label={t('bank.viewLabel')}>
        {(['pending', 'validated'] as const).map((v) => (
          <button
            key={v}
            type="button"
            className={`btn ${view === v ? 'primary' : ''}`}
            aria-pressed={view === v}
            onClick={() => {
              if (v === view) return;
              // The other list's cards would flash under this one's heading until it arrives.
              setItems(null);
              setView(v);
            }}
          >
            {t(`bank.view.${v}`)}
          </button>
        ))}
      </div>
      {view === 'validated' && <p>{t('bank.validatedIntro')}</p>}
      <ErrorAlert message={error} />
      {/* Where the focus goes when a reviewed submission leaves the list with its buttons. */}
      {items && <ListCount view={view} count={items.length} />}
      <ul className="case-list" data-testid="submissions">
        {items?.map((s) => (
          <Submission
            key={s.id}
            s={s}
            view={view}
            onDone={() => setItems((xs) => (xs ?? []).filter((x) => x.id !== s.id))}
          />
        ))}
      </ul>
    </main>
  );
}

function Submission({
  s: initial,
  view,
  onDone,
}: {
  s: BankSubmission;
  view: View;
  onDone: () => void;
}) {
  const { t } = useTranslation();
  const lang = useLang();
  const entries = useEntryMap();
  const online = useOnline();
  const [s, setS] = useState(initial);
  const [reason, setReason] = useState('');
  // A refusal needs its reason: said under the field, which is marked invalid.
  const [reasonMissing, setReasonMissing] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const label = submissionLabel(s, t, lang, entries);
  const licence = licenceKey(s.licence);
  const total = s.images.length;
  const reviewed = s.images.filter((i) => i.status !== 'pending').length;
  const inBank = s.images.filter((i) => i.status === 'validated').length;

  /** One API call; the answer is the submission as it now stands (image statuses included). */
  async function act(fn: () => Promise<BankSubmission>) {
    setBusy(true);
    setError(null);
    try {
      const next = await fn();
      setS(next);
      setBusy(false);
      // Nothing left to decide in this list: the card leaves it.
      if (next.images.every((i) => i.status !== view)) onDone();
    } catch (err) {
      setError(errorText(err, t));
      setBusy(false);
    }
  }

  /** Refusing and withdrawing both need the reason, which their author reads. */
  function withReason(send: (why: string) => Promise<BankSubmission>) {
    const why = reason.trim();
    if (!why) {
      setReasonMissing(true);
      document.getElementById(`${headingId}-reason`)?.focus();
      return;
    }
    void act(() => send(why));
  }
  const reject = (imageIds?: string[]) =>
    withReason((why) => rejectSubmission(s.id, why, imageIds));
  const withdraw = (imageIds?: string[]) =>
    withReason((why) => withdrawSubmission(s.id, why, imageIds));

  const headingId = `sub-${s.id}`;
  const disabled = busy || !online;
  return (
    <li className="card" aria-labelledby={headingId}>
      <h2 id={headingId}>{label}</h2>
      {s.proposedClass && (
        // Validating creates the library entry as proposed: the curator checks all of it.
        <p className="notice" data-testid="proposed-class">
          {t('bank.proposedDetail', {
            kind: t(`library.kinds.${s.proposedClass.kind}`),
            crop: s.proposedClass.crop,
            nameFr: s.proposedClass.nameFr,
            nameEn: s.proposedClass.nameEn,
          })}
        </p>
      )}
      <p className="meta">
        {cropName(s.crop, entries, lang)}
        {s.date ? ` · ${formatDay(s.date, lang)}` : ''}
        {s.regionCode ? ` · ${regionName(s.regionCode) ?? s.regionCode}` : ''}
        {' · '}
        {t('bank.by', {
          name: s.authorCredit,
          licence: licence ? t(`bank.licences.${licence}`) : s.licence,
        })}
      </p>
      <PhotoGallery photos={s.images} label={t('lab.photos')} />
      {view === 'pending' && (
        <div className="field">
          <label htmlFor={`${headingId}-progress`}>
            {t('bank.reviewed', { count: reviewed, total })}
          </label>
          <progress id={`${headingId}-progress`} max={total} value={reviewed} />
        </div>
      )}
      <div className="field">
        <label htmlFor={`${headingId}-reason`}>{t('bank.reason')}</label>
        <input
          id={`${headingId}-reason`}
          maxLength={1000}
          value={reason}
          aria-invalid={reasonMissing || undefined}
          aria-describedby={`${headingId}-reason-hint${reasonMissing ? ` ${headingId}-reason-error` : ''}`}
          onChange={(e) => {
            setReason(e.target.value);
            setReasonMissing(false);
          }}
        />
        <p id={`${headingId}-reason-hint`} className="hint">
          {t('bank.reasonHint')}
        </p>
        {reasonMissing && (
          <p id={`${headingId}-reason-error`} className="notice error" role="alert">
            {t('bank.reasonRequired')}
          </p>
        )}
      </div>
      <ErrorAlert message={error} />
      <ol className="bank-images" aria-label={t('bank.perPhoto')}>
        {s.images.map((img, i) => {
          const n = i + 1;
          return (
            <li key={img.id} className="bank-image" data-status={img.status}>
              <img src={img.thumbUrl} alt={t('lab.photoN', { n, total })} width={64} height={64} />
              <BankPhotoStatus img={img} />
              {img.status === 'pending' && (
                <div className="row wrap">
                  <button
                    type="button"
                    className="btn"
                    disabled={disabled}
                    onClick={() => void act(() => validateSubmission(s.id, [img.id]))}
                  >
                    {t('bank.validatePhoto', { n })}
                  </button>
                  <button
                    type="button"
                    className="btn"
                    disabled={disabled}
                    onClick={() => reject([img.id])}
                  >
                    {t('bank.rejectPhoto', { n })}
                  </button>
                </div>
              )}
              {img.status === 'validated' && (
                <button
                  type="button"
                  className="btn"
                  disabled={disabled}
                  onClick={() => withdraw([img.id])}
                >
                  {t('bank.withdrawPhoto', { n })}
                </button>
              )}
            </li>
          );
        })}
      </ol>
      {view === 'validated' ? (
        <div className="row wrap">
          <button type="button" className="btn" disabled={disabled} onClick={() => withdraw()}>
            {t('bank.withdrawAll', { count: inBank })}
          </button>
        </div>
      ) : (
        <div className="row wrap">
          <button
            type="button"
            className="btn primary"
            disabled={disabled}
            onClick={() => void act(() => validateSubmission(s.id))}
          >
            {t('bank.validateRest', { count: total - reviewed })}
          </button>
          <button type="button" className="btn" disabled={disabled} onClick={() => reject()}>
            {t('bank.rejectRest', { count: total - reviewed })}
          </button>
        </div>
      )}
    </li>
  );
}

/** « N soumissions en attente », which takes the focus lost when a reviewed card leaves. */
function ListCount({ view, count }: { view: View; count: number }) {
  const { t } = useTranslation();
  const ref = useRef<HTMLParagraphElement>(null);
  useEffect(() => rescueFocus(ref.current), [count]);
  return (
    <p ref={ref} role="status" tabIndex={-1}>
      {t(view === 'pending' ? 'bank.pending' : 'bank.validatedCount', { count })}
    </p>
  );
}
