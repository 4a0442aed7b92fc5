import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { CannedAnswer, CannedAnswerBody, CannedAnswerList } from '@phytodiag/api/contract';
import { errorText } from '../api/error-text';
import { ActionNotice } from '../components/action-notice';
import { ErrorAlert } from '../components/error-alert';
import { MissingFields } from '../components/missing-fields';
import { TwoStepButton } from '../components/two-step-button';
import type { Lang } from '../db/types';
import { clearCannedPrefill, peekCannedPrefill } from '../lab/canned-prefill';
import { deleteCannedAnswer, fetchCannedAnswers, saveCannedAnswer } from '../lab/lab-api';
import { CANNED_LIMITS } from '../lab/limits';
import { lastEditText } from '../lab/last-edit';
import { canTriage } from '../lab/roles';
import { displayName, sortedByName, useEntryMap, useLang } from '../state/library-hooks';
import { useOnline } from '../state/online';
import { href } from '../state/router';
import { useUser } from '../state/session';
import { useFetched } from '../state/use-fetched';
import { Forbidden } from './forbidden';

const LANGS: readonly Lang[] = ['fr', 'en'];
const TEXTS = ['title', 'message', 'recommendations'] as const;

const EMPTY: CannedAnswerBody = {
  slug: '',
  fr: { title: '', message: '', recommendations: '' },
  en: { title: '', message: '', recommendations: '' },
};

export function LabCanned() {
  const user = useUser();
  if (!user || !canTriage(user)) return <Forbidden />;
  return <CannedAnswers />;
}

/**
 * « Réponses types » : the lab's canned answers, written and kept current by the specialists who
 * use them, in both languages (the requester reads theirs).
 */
function CannedAnswers() {
  const { t } = useTranslation();
  const lang = useLang();
  const online = useOnline();
  const entries = useEntryMap();
  const [reload, setReload] = useState(0);
  const { data, error } = useFetched<CannedAnswerList>(`${reload}|${online}`, fetchCannedAnswers);
  // An answer from a case, to keep as a canned answer: the add form opens with it.
  const [prefill] = useState(peekCannedPrefill);
  useEffect(clearCannedPrefill, []);
  /** The one being written: null = none open, '' = a new one. */
  const [editing, setEditing] = useState<string | null>(prefill ? '' : null);
  const [done, setDone] = useState<string | null>(null);
  const [failed, setFailed] = useState<string | null>(null);

  async function remove(c: CannedAnswer) {
    setDone(null);
    setFailed(null);
    try {
      await deleteCannedAnswer(c.id);
      setDone(t('canned.deleted', { title: c[lang].title }));
      setReload((n) => n + 1);
    } catch (err) {
      setFailed(errorText(err, t));
    }
  }

  const items = [...(data?.items ?? [])].sort((a, b) =>
    displayName(a.slug, entries, lang).localeCompare(displayName(b.slug, entries, lang), lang),
  );
  const saved = (c: CannedAnswer) => {
    setEditing(null);
    setDone(t('canned.saved', { title: c[lang].title }));
    setReload((n) => n + 1);
  };
  return (
    <main id="main" className="page">
      <p>
        <a href={href({ name: 'lab' })}>{t('lab.backToQueue')}</a>
      </p>
      <h1>{t('canned.title')}</h1>
      <p>{t('canned.intro')}</p>
      {!online && <p className="notice warn">{t('canned.needOnline')}</p>}
      <ErrorAlert message={failed ?? (online ? error : null)} />
      {done && <ActionNotice key={done}>{done}</ActionNotice>}
      {editing === '' ? (
        <CannedForm
          initial={prefill ?? EMPTY}
          fromCase={prefill !== null}
          id={null}
          onSaved={saved}
          onCancel={() => setEditing(null)}
        />
      ) : (
        <p>
          <button
            type="button"
            className="btn"
            disabled={!online}
            onClick={() => {
              setDone(null);
              setEditing('');
            }}
          >
            {t('canned.add')}
          </button>
        </p>
      )}
      {data && (
        <ul className="stack check-list" data-testid="canned-list">
          {items.map((c) => (
            <li key={c.id} className="card">
              {editing === c.id ? (
                <CannedForm
                  initial={c}
                  id={c.id}
                  onSaved={saved}
                  onCancel={() => setEditing(null)}
                />
              ) : (
                <>
                  <h2>{c[lang].title}</h2>
                  <p className="hint">
                    {t('canned.forClass', { name: displayName(c.slug, entries, lang) })}
                  </p>
                  <p>{c[lang].message}</p>
                  <p>{t('canned.recommendationsLine', { text: c[lang].recommendations })}</p>
                  {c.lastEdit && <p className="meta">{lastEditText(c.lastEdit, t, lang)}</p>}
                  <div className="row wrap">
                    <p>
                      <button
                        type="button"
                        className="btn secondary"
                        disabled={!online}
                        aria-label={t('canned.editOf', { title: c[lang].title })}
                        onClick={() => {
                          setDone(null);
                          setEditing(c.id);
                        }}
                      >
                        {t('canned.edit')}
                      </button>
                    </p>
                    <TwoStepButton
                      label={t('canned.delete')}
                      accessibleLabel={t('canned.deleteOf', { title: c[lang].title })}
                      question={t('canned.deleteQuestion', { title: c[lang].title })}
                      confirmLabel={t('canned.deleteConfirm')}
                      cancelLabel={t('canned.keep')}
                      onConfirm={() => void remove(c)}
                    />
                  </div>
                </>
              )}
            </li>
          ))}
        </ul>
      )}
      {data && items.length === 0 && <p>{t('canned.none')}</p>}
    </main>
  );
}

function CannedForm({
  initial,
  fromCase = false,
  id,
  onSaved,
  onCancel,
}: {
  initial: CannedAnswerBody;
  /** Filled from a case's answer: one language written, the other to write. */
  fromCase?: boolean;
  id: string | null;
  onSaved: (c: CannedAnswer) => void;
  onCancel: () => void;
}) {
  const { t } = useTranslation();
  const lang = useLang();
  const online = useOnline();
  const entries = useEntryMap();
  const [form, setForm] = useState<CannedAnswerBody>({
    slug: initial.slug,
    fr: { ...initial.fr },
    en: { ...initial.en },
  });
  const [missing, setMissing] = useState<string[]>([]);
  const [attempt, setAttempt] = useState(0);
  const [failed, setFailed] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const prefix = `canned-${id ?? 'new'}`;

  async function submit(e: FormEvent) {
    e.preventDefault();
    const gaps = [
      ...(form.slug ? [] : [t('canned.class')]),
      ...LANGS.flatMap((l) =>
        TEXTS.filter((k) => form[l][k].trim() === '').map((k) =>
          t('libraryEdit.missingItem', {
            field: t(`canned.fields.${k}`),
            where: t(`libraryEdit.in.${l}`),
          }),
        ),
      ),
    ];
    setMissing(gaps);
    if (gaps.length > 0) {
      setAttempt((n) => n + 1);
      return;
    }
    setBusy(true);
    setFailed(null);
    try {
      onSaved(await saveCannedAnswer(id, form));
    } catch (err) {
      setFailed(errorText(err, t));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="entry-editor" onSubmit={(e) => void submit(e)} noValidate>
      <h2>{id === null ? t('canned.add') : t('canned.editing', { title: initial[lang].title })}</h2>
      {fromCase && (
        <p className="notice" data-testid="canned-from-case">
          {t('canned.fromCase')}
        </p>
      )}
      <div className="field">
        <label htmlFor={`${prefix}-class`}>{t('canned.class')}</label>
        <select
          id={`${prefix}-class`}
          aria-required="true"
          value={form.slug}
          onChange={(e) => setForm((f) => ({ ...f, slug: e.target.value }))}
        >
          <option value="">{t('canned.choose')}</option>
          {sortedByName(entries.values(), lang).map((e) => (
            <option key={e.slug} value={e.slug}>
              {e.name[lang]}
            </option>
          ))}
        </select>
      </div>
      {LANGS.map((l) => (
        <fieldset key={l} lang={l}>
          <legend lang={lang}>{t(`canned.in.${l}`)}</legend>
          {TEXTS.map((k) => (
            <div key={k} className="field">
              <label htmlFor={`${prefix}-${l}-${k}`} lang={lang}>
                {t(`canned.fields.${k}`)}
              </label>
              {k === 'title' ? (
                <input
                  id={`${prefix}-${l}-${k}`}
                  maxLength={CANNED_LIMITS.title}
                  aria-required="true"
                  value={form[l][k]}
                  onChange={(e) =>
                    setForm((f) => ({ ...f, [l]: { ...f[l], [k]: e.target.value } }))
                  }
                />
              ) : (
                <textarea
                  id={`${prefix}-${l}-${k}`}
                  rows={4}
                  maxLength={CANNED_LIMITS.text}
                  aria-required="true"
                  value={form[l][k]}
                  onChange={(e) =>
                    setForm((f) => ({ ...f, [l]: { ...f[l], [k]: e.target.value } }))
                  }
                />
              )}
            </div>
          ))}
        </fieldset>
      ))}
      <MissingFields title={t('libraryEdit.missingTitle')} items={missing} attempt={attempt} />
      <ErrorAlert message={failed} />
      <div className="row wrap">
        <button type="submit" className="btn" disabled={busy || !online}>
          {t('canned.save')}
        </button>
        <button type="button" className="btn secondary" onClick={onCancel}>
          {t('canned.cancel')}
        </button>
      </div>
    </form>
  );
}
