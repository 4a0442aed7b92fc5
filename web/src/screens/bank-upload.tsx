import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { BankSubmissionMeta, LibraryKind } from '@phytodiag/api/contract';
import { errorText } from '../api/error-text';
import { isRefusedForGood } from '../outbox/queue-sender';
import { sendBankUploadNow } from '../bank/send-now';
import { keepBankUpload } from '../bank/bank-upload-repo';
import { useWaitingUploads } from '../bank/use-waiting-uploads';
import { db } from '../db/db';
import { isStorageFull } from '../db/storage-full';
import { ActionNotice } from '../components/action-notice';
import { ErrorAlert } from '../components/error-alert';
import { MissingFields } from '../components/missing-fields';
import { BlobImage } from '../components/library-image';
import { CropDatalist, KindOptions, RegionOptions } from '../components/select-options';
import { LICENCES } from '../lab/licences';
import { BANK_PHOTO_MAX } from '../lab/limits';
import { canSubmitToBank, canTriage } from '../lab/roles';
import { duplicateEntry, slugFrom } from '../lab/slug';
import { sortedByName, useEntryMap, useLang } from '../state/library-hooks';
import { formatList } from '../state/format';
import { sendKeptUploadsLater } from '../state/bank-uploads-runner';
import { useOnline } from '../state/online';
import { href } from '../state/router';
import { useUser } from '../state/session';
import { Forbidden } from './forbidden';

const NEW = '__new__';
type Missing = 'photo' | 'label' | 'names' | 'crop' | 'credit';

/** Why the photos stayed on the device rather than reach the bank now, and what it says. */
type KeptWhy = 'offline' | 'failed' | 'signIn';
const KEPT_TEXT = {
  offline: 'bank.kept',
  failed: 'bank.keptFailed',
  signIn: 'bank.keptSignIn',
} as const satisfies Record<KeptWhy, string>;

export function BankUpload() {
  const user = useUser();
  if (!user || !canSubmitToBank(user)) return <Forbidden audience="contributors" />;
  return (
    <UploadForm userId={user.id} defaultCredit={user.displayName ?? ''} staff={canTriage(user)} />
  );
}

function UploadForm({
  userId,
  defaultCredit,
  staff,
}: {
  userId: string;
  defaultCredit: string;
  staff: boolean;
}) {
  const { t } = useTranslation();
  const lang = useLang();
  const online = useOnline();
  const entries = useEntryMap();
  const [files, setFiles] = useState<File[]>([]);
  const [classSlug, setClassSlug] = useState('');
  const [nameFr, setNameFr] = useState('');
  const [nameEn, setNameEn] = useState('');
  const [kind, setKind] = useState<LibraryKind>('disease');
  const [crop, setCrop] = useState('');
  const [date, setDate] = useState('');
  const [region, setRegion] = useState('');
  const [credit, setCredit] = useState(defaultCredit);
  const [licence, setLicence] = useState(LICENCES[0][0]);
  const [progress, setProgress] = useState<number[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  // What the last send did: photos added, and the numbers of those the bank already had.
  const [sent, setSent] = useState<{ added: number; inBank: number[] } | null>(null);
  // Photos kept on the device, for want of network: they go by themselves later.
  const [kept, setKept] = useState<{ count: number; why: KeptWhy } | null>(null);
  const done = sent !== null || kept !== null;
  // Uploads of this account still on the device: the way to them says so.
  const waiting = useWaitingUploads(userId);

  const sorted = sortedByName(entries.values(), lang);
  const isNew = classSlug === NEW;
  // Caught here, before the upload; the API refuses it too (CLASS_EXISTS).
  const duplicate = isNew ? duplicateEntry(entries.values(), { nameFr, nameEn }) : null;
  const lacking: Missing[] = [
    ...(files.length === 0 ? (['photo'] as const) : []),
    ...(!classSlug ? (['label'] as const) : []),
    ...(isNew && (!nameFr.trim() || !nameEn.trim()) ? (['names'] as const) : []),
    ...(!crop.trim() ? (['crop'] as const) : []),
    ...(!credit.trim() ? (['credit'] as const) : []),
  ];
  // Shown once a send was tried, and then kept up to date as the fields are filled.
  const [tried, setTried] = useState(false);
  const [refused, setRefused] = useState(0);
  const missing = tried ? lacking : [];

  function pickClass(slug: string) {
    setClassSlug(slug);
    // The class's crop, unless one was typed: a label names its crop nearly always.
    const entry = entries.get(slug);
    if (entry && !crop.trim()) setCrop(entry.crop[lang]);
  }

  async function submit(e: React.FormEvent) {
    e.preventDefault();
    setTried(true);
    if (lacking.length > 0) {
      setRefused((n) => n + 1);
      return;
    }
    if (duplicate) {
      setError(t('bank.duplicate', { name: duplicate.name[lang] }));
      return;
    }
    const meta: BankSubmissionMeta = {
      ...(isNew
        ? {
            proposedClass: {
              slug: slugFrom(nameFr),
              nameFr: nameFr.trim(),
              nameEn: nameEn.trim(),
              kind,
              crop: crop.trim(),
            },
          }
        : { classSlug }),
      crop: crop.trim(),
      ...(date ? { date } : {}),
      ...(region ? { regionCode: region } : {}),
      authorCredit: credit.trim(),
      licence,
    };
    setError(null);
    setSent(null);
    setKept(null);
    // Kept on the device before anything is sent: a signal lost mid-upload, a closed tab, loses
    // nothing, and its clientId makes a resend return the submission already made.
    let row;
    try {
      row = await keepBankUpload(db, userId, { ...meta, clientId: crypto.randomUUID() }, files, {
        state: online ? 'sending' : 'queued',
      });
    } catch (err) {
      setError(isStorageFull(err) ? t('bank.storageFull') : errorText(err, t));
      return;
    }
    if (!online) {
      setKept({ count: files.length, why: 'offline' });
      sendKeptUploadsLater();
      return;
    }
    setProgress(files.map(() => 0));
    const out = await sendBankUploadNow(db, row, setProgress);
    if (out.kind === 'sent') {
      // The sent photos stay listed at 100 % until new ones are picked.
      setSent({ added: out.value.images.length, inBank: out.value.alreadyInBank });
      return;
    }
    setProgress(null);
    // Refused for good: the form shows why, and holds everything to fix and send again. An
    // ended session is not that: the photos stay queued and go once the person signs in again
    // (going to the sign-in screen leaves this form and what it held).
    if (out.kind === 'refused' && out.status === 401)
      setKept({ count: files.length, why: 'signIn' });
    else if (isRefusedForGood(out)) setError(out.message);
    else {
      setKept({ count: files.length, why: 'failed' });
      sendKeptUploadsLater();
    }
  }

  const uploading = progress !== null && !done && !error;
  return (
    <main id="main" className="page">
      {/* Lab staff come here from the queue; an agronomist's way in is this screen itself. */}
      {staff && (
        <p>
          <a href={href({ name: 'lab' })}>{t('lab.backToQueue')}</a>
        </p>
      )}
      <h1>{t('bank.uploadTitle')}</h1>
      <p>{t('bank.uploadIntro')}</p>
      <p>
        <a href={href({ name: 'bankMine' })}>
          {waiting ? t('bank.waitingLink', { count: waiting }) : t('bank.mineLink')}
        </a>
      </p>
      <form className="stack lab-form" onSubmit={(e) => void submit(e)} noValidate>
        <div className="row wrap">
          <label className="btn big" htmlFor="bank-file">
            {t('bank.addPhotos')}
          </label>
          <input
            id="bank-file"
            className="visually-hidden"
            type="file"
            accept="image/jpeg,image/png,image/webp"
            multiple
            data-testid="bank-input"
            onChange={(e) => {
              const picked = [...(e.target.files ?? [])];
              e.target.value = '';
              setFiles((f) => [...(done ? [] : f), ...picked].slice(0, BANK_PHOTO_MAX));
              setSent(null);
              setKept(null);
              setProgress(null);
            }}
          />
        </div>
        <p role="status">{t('bank.photoCount', { count: files.length, max: BANK_PHOTO_MAX })}</p>
        <ul className="photo-list">
          {files.map((f, i) => (
            <li key={`${f.name}-${i}`}>
              <BlobImage blob={f} alt={t('capture.photoAlt', { n: i + 1 })} size={96} />
              {sent?.inBank.includes(i + 1) ? (
                <span className="badge">{t('bank.photoInBank')}</span>
              ) : kept ? (
                // Kept for sending: « Retirer » here would not take it out of the queue.
                <span className="badge">{t('bank.photoKept')}</span>
              ) : progress ? (
                <progress
                  max={100}
                  value={Math.round((progress[i] ?? 0) * 100)}
                  aria-label={t('bank.progress', { n: i + 1 })}
                />
              ) : (
                <button
                  type="button"
                  className="btn small"
                  onClick={() => setFiles((fs) => fs.filter((_, j) => j !== i))}
                >
                  {t('capture.remove', { n: i + 1 })}
                </button>
              )}
            </li>
          ))}
        </ul>
        <div className="field">
          <label htmlFor="bank-class">{t('bank.label')}</label>
          <select
            id="bank-class"
            value={classSlug}
            required
            aria-required="true"
            aria-invalid={missing.includes('label') || undefined}
            onChange={(e) => pickClass(e.target.value)}
          >
            <option value="">{t('lab.diagnosisPick')}</option>
            {sorted.map((e) => (
              <option key={e.slug} value={e.slug}>
                {e.name[lang]}
              </option>
            ))}
            <option value={NEW}>{t('bank.newClass')}</option>
          </select>
        </div>
        {isNew && (
          <fieldset>
            <legend>{t('bank.newClass')}</legend>
            <div className="stack lab-form">
              <div className="field">
                <label htmlFor="bank-fr">{t('bank.nameFr')}</label>
                <input
                  id="bank-fr"
                  lang="fr"
                  required
                  aria-required="true"
                  aria-invalid={(missing.includes('names') && !nameFr.trim()) || undefined}
                  value={nameFr}
                  onChange={(e) => setNameFr(e.target.value)}
                />
              </div>
              <div className="field">
                <label htmlFor="bank-en">{t('bank.nameEn')}</label>
                <input
                  id="bank-en"
                  lang="en"
                  required
                  aria-required="true"
                  aria-invalid={(missing.includes('names') && !nameEn.trim()) || undefined}
                  value={nameEn}
                  onChange={(e) => setNameEn(e.target.value)}
                />
              </div>
              {duplicate && (
                <div className="notice stack" role="status" data-testid="bank-duplicate">
                  <p>{t('bank.duplicate', { name: duplicate.name[lang] })}</p>
                  <button
                    type="button"
                    className="btn secondary"
                    onClick={() => {
                      pickClass(duplicate.slug);
                      setError(null);
                    }}
                  >
                    {t('bank.useExisting', { name: duplicate.name[lang] })}
                  </button>
                </div>
              )}
              <div className="field">
                <label htmlFor="bank-kind">{t('library.kind')}</label>
                <select
                  id="bank-kind"
                  value={kind}
                  onChange={(e) => setKind(e.target.value as LibraryKind)}
                >
                  <KindOptions />
                </select>
              </div>
            </div>
          </fieldset>
        )}
        <div className="field">
          <label htmlFor="bank-crop">{t('escalate.crop')}</label>
          <input
            id="bank-crop"
            list="bank-crops"
            required
            aria-required="true"
            autoComplete="off"
            aria-invalid={missing.includes('crop') || undefined}
            value={crop}
            onChange={(e) => setCrop(e.target.value)}
          />
          <CropDatalist id="bank-crops" />
        </div>
        <div className="row wrap">
          <div className="field">
            <label htmlFor="bank-date">{t('bank.date')}</label>
            <input
              id="bank-date"
              type="date"
              value={date}
              onChange={(e) => setDate(e.target.value)}
            />
          </div>
          <div className="field">
            <label htmlFor="bank-region">{t('capture.region')}</label>
            <select id="bank-region" value={region} onChange={(e) => setRegion(e.target.value)}>
              <option value="">{t('capture.anyRegion')}</option>
              <RegionOptions />
            </select>
          </div>
        </div>
        <div className="field">
          <label htmlFor="bank-credit">{t('bank.credit')}</label>
          <input
            id="bank-credit"
            required
            aria-required="true"
            maxLength={200}
            aria-invalid={missing.includes('credit') || undefined}
            value={credit}
            onChange={(e) => setCredit(e.target.value)}
          />
        </div>
        <div className="field">
          <label htmlFor="bank-licence">{t('bank.licence')}</label>
          <select
            id="bank-licence"
            value={licence}
            aria-describedby="bank-licence-hint"
            onChange={(e) => {
              const picked = LICENCES.find(([id]) => id === e.target.value);
              if (picked) setLicence(picked[0]);
            }}
          >
            {LICENCES.map(([id, key]) => (
              <option key={id} value={id}>
                {t(`bank.licences.${key}`)}
              </option>
            ))}
          </select>
          <p id="bank-licence-hint" className="hint">
            {t('bank.licenceHint')}
          </p>
        </div>
        <MissingFields
          title={t('escalate.missing')}
          items={missing.map((m) => t(`bank.missingWhat.${m}`))}
          attempt={refused}
        />
        <ErrorAlert message={error} />
        {sent && (
          <ActionNotice testId="bank-done">
            {t('bank.done', { count: sent.added })}
            {sent.inBank.length > 0 &&
              ` ${t('bank.alreadyInBank', {
                count: sent.inBank.length,
                list: formatList(sent.inBank.map(String), lang),
              })}`}
          </ActionNotice>
        )}
        {kept !== null && (
          <ActionNotice testId="bank-kept">
            {t(KEPT_TEXT[kept.why], { count: kept.count })}{' '}
            <a href={href({ name: 'bankMine' })}>{t('bank.keptFollow')}</a>
          </ActionNotice>
        )}
        {!online && !done && (
          <p className="notice" id="bank-offline">
            {t('bank.offlineHint')}
          </p>
        )}
        <button
          type="submit"
          className="btn big primary"
          disabled={uploading || done}
          aria-describedby={!online && !done ? 'bank-offline' : undefined}
          data-testid="bank-submit"
        >
          {t('bank.submit')}
        </button>
      </form>
    </main>
  );
}
