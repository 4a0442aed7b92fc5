import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { EditableLibraryEntry } from '@phytodiag/api/contract';
import { errorText } from '../api/error-text';
import { ApiError } from '../api/http';
import { ActionNotice } from '../components/action-notice';
import { ErrorAlert } from '../components/error-alert';
import { EarlierEditions } from '../components/earlier-editions';
import { LookAlikePicker } from '../components/look-alike-picker';
import { MissingFields } from '../components/missing-fields';
import { db } from '../db/db';
import type { Lang } from '../db/types';
import { lastEditText } from '../lab/last-edit';
import { ENTRY_LIMITS, SHEET_TEXT_MAX } from '../lab/limits';
import { canCurate } from '../lab/roles';
import { dropEntryDraft, keepEntryDraft, readEntryDraft } from '../library/entry-drafts';
import { fetchEarlierEdition, fetchEditableEntry, saveEntry } from '../library/entry-api';
import {
  SHEET_FIELDS,
  toBody,
  toForm,
  type EntryForm,
  type MissingField,
} from '../library/entry-form';
import { syncLibraryText } from '../library/library-sync';
import { flash } from '../state/flash';
import { formatDateTime } from '../state/format';
import { useLang } from '../state/library-hooks';
import { useOnline } from '../state/online';
import { href, navigate } from '../state/router';
import { useUser } from '../state/session';
import { useFetched } from '../state/use-fetched';
import { Forbidden } from './forbidden';

const LANGS: readonly Lang[] = ['fr', 'en'];

/** « Modifier la fiche » : the lab writes and corrects a library entry, both languages at once. */
export function LibraryEdit({ slug }: { slug: string }) {
  const { t } = useTranslation();
  const user = useUser();
  const online = useOnline();
  const [reload, setReload] = useState(0);
  const { data, error } = useFetched<EditableLibraryEntry>(`${slug}|${reload}|${online}`, () =>
    fetchEditableEntry(slug),
  );
  if (!user || !canCurate(user)) return <Forbidden />;
  if (!data)
    return (
      <main id="main" className="page">
        <p>
          <a href={href({ name: 'entry', slug })}>← {t('library.title')}</a>
        </p>
        <h1>{t('libraryEdit.heading')}</h1>
        {!online && <p className="notice warn">{t('libraryEdit.needOnline')}</p>}
        <ErrorAlert message={online ? error : null} />
        {online && !error && <p role="status">{t('app.loading')}</p>}
      </main>
    );
  // Keyed on the edition: reloading after a conflict starts the form over from what is saved.
  return (
    <Editor
      key={`${data.edition}|${reload}`}
      entry={data}
      userId={user.id}
      onReload={() => setReload((n) => n + 1)}
    />
  );
}

function Editor({
  entry,
  userId,
  onReload,
}: {
  entry: EditableLibraryEntry;
  userId: string;
  onReload: () => void;
}) {
  const { t } = useTranslation();
  const lang = useLang();
  const online = useOnline();
  const [form, setForm] = useState<EntryForm>(() => toForm(entry));
  const [missing, setMissing] = useState<MissingField[]>([]);
  const [attempt, setAttempt] = useState(0);
  const [failed, setFailed] = useState<string | null>(null);
  const [conflict, setConflict] = useState(false);
  const [busy, setBusy] = useState(false);
  const [takenBack, setTakenBack] = useState<string | null>(null);
  // The edition the form's text is based on: the one opened, or the one a kept draft began from.
  const [base, setBase] = useState(entry.edition);
  const [draftAt, setDraftAt] = useState<string | null>(null);
  /** The form holds the editor's own text (typed, or taken back): worth keeping. */
  const touched = useRef(false);
  /** Saved or thrown away: a keystroke's pending keep must not bring the draft back. */
  const closed = useRef(false);

  // A draft this editor left here (phone locked, page reloaded, a wrong tap) comes back.
  useEffect(() => {
    let live = true;
    void readEntryDraft(db, entry.slug, userId).then((d) => {
      if (!live || !d || touched.current) return;
      if (d.edition === entry.edition && JSON.stringify(d.form) === JSON.stringify(toForm(entry)))
        return void dropEntryDraft(db, entry.slug);
      setForm(d.form);
      setBase(d.edition);
      setDraftAt(d.savedAt);
    });
    return () => {
      live = false;
    };
  }, [entry, userId]);

  // Kept on the device as typed, a moment after the last keystroke.
  useEffect(() => {
    if (!touched.current) return;
    const timer = setTimeout(() => {
      if (closed.current) return;
      const draft = { slug: entry.slug, userId, edition: base, form };
      void keepEntryDraft(db, { ...draft, savedAt: new Date().toISOString() });
    }, 300);
    return () => clearTimeout(timer);
  }, [form, base, entry.slug, userId]);

  const set = (change: (f: EntryForm) => EntryForm) => {
    touched.current = true;
    setForm((f) => change(f));
  };

  async function dropDraft() {
    closed.current = true;
    await dropEntryDraft(db, entry.slug);
  }

  async function abandonDraft() {
    await dropDraft();
    closed.current = false;
    touched.current = false;
    setForm(toForm(entry));
    setBase(entry.edition);
    setDraftAt(null);
  }

  async function send(edition: number) {
    const result = toBody(form, edition);
    if ('missing' in result) {
      setMissing(result.missing);
      setAttempt((n) => n + 1);
      return;
    }
    setMissing([]);
    setBusy(true);
    setFailed(null);
    try {
      const saved = await saveEntry(entry.slug, result.body);
      await dropDraft();
      // The device's own library shows the new text at once, before the next periodic sync.
      await syncLibraryText(db).catch(() => undefined);
      flash(saved.edition === edition ? 'libraryEdit.unchanged' : 'libraryEdit.saved');
      navigate({ name: 'entry', slug: entry.slug });
    } catch (err) {
      setConflict(err instanceof ApiError && err.code === 'LIBRARY_EDIT_CONFLICT');
      setFailed(errorText(err, t));
    } finally {
      setBusy(false);
    }
  }

  /** After a conflict: the same text, saved against the edition the colleague made. */
  async function overwrite() {
    setBusy(true);
    let latest: EditableLibraryEntry;
    try {
      latest = await fetchEditableEntry(entry.slug);
    } catch (err) {
      setFailed(errorText(err, t));
      setBusy(false);
      return;
    }
    setConflict(false);
    setBase(latest.edition);
    setBusy(false);
    await send(latest.edition);
  }

  /** An earlier edition into the form: saved, it becomes the newest (the current one is kept). */
  async function takeBack(edition: number, label: string) {
    setBusy(true);
    setFailed(null);
    try {
      const earlier = await fetchEarlierEdition(entry.slug, edition);
      touched.current = true;
      setForm(toForm(earlier));
      setMissing([]);
      setTakenBack(t('libraryEdit.takenBack', { version: label }));
    } catch (err) {
      setFailed(errorText(err, t));
    } finally {
      setBusy(false);
    }
  }

  const editText = (e: EditableLibraryEntry['lastEdit']) =>
    e ? lastEditText(e, t, lang) : t('libraryEdit.originalShort');

  function submit(e: FormEvent) {
    e.preventDefault();
    void send(base);
  }

  const missingText = missing.map((m) =>
    t('libraryEdit.missingItem', {
      field: t(m.field === 'sheet' ? `libraryEdit.fields.${m.key}` : `libraryEdit.${m.field}`),
      where: t(m.field === 'sheet' ? `libraryEdit.sheetOf.${m.lang}` : `libraryEdit.in.${m.lang}`),
    }),
  );
  const isMissing = (l: Lang, field: string) =>
    missing.some(
      (m) => m.lang === l && (m.field === 'sheet' ? m.key === field : m.field === field),
    ) || undefined;

  const edit = entry.lastEdit;
  return (
    <main id="main" className="page">
      <p>
        <a href={href({ name: 'entry', slug: entry.slug })}>← {entry.name[lang]}</a>
      </p>
      <h1>{t('libraryEdit.title', { name: entry.name[lang] })}</h1>
      <p data-testid="last-edit">
        {edit
          ? edit.by
            ? t('libraryEdit.lastEdit', { at: formatDateTime(edit.at, lang), by: edit.by })
            : t('libraryEdit.lastEditDeleted', { at: formatDateTime(edit.at, lang) })
          : t('libraryEdit.original')}
      </p>
      <p className="hint">{t('libraryEdit.intro')}</p>
      <EarlierEditions
        earlier={entry.earlier}
        describe={editText}
        disabled={busy || !online}
        onTakeBack={(edition, label) => void takeBack(edition, label)}
      />
      {takenBack && <ActionNotice key={takenBack}>{takenBack}</ActionNotice>}
      {draftAt && (
        <div className="notice" data-testid="draft-restored">
          <p role="status">
            {t('libraryEdit.draftRestored', { at: formatDateTime(draftAt, lang) })}
          </p>
          <button type="button" className="btn secondary" onClick={() => void abandonDraft()}>
            {t('libraryEdit.draftAbandon')}
          </button>
        </div>
      )}
      <form className="stack entry-editor" onSubmit={submit} noValidate>
        <fieldset>
          <legend>{t('libraryEdit.names')}</legend>
          {(['name', 'crop'] as const).flatMap((field) =>
            LANGS.map((l) => (
              <div key={`${field}-${l}`} className="field">
                <label htmlFor={`ed-${field}-${l}`}>
                  {t(`libraryEdit.${field}`)} ({t(`libraryEdit.in.${l}`)})
                </label>
                <input
                  id={`ed-${field}-${l}`}
                  lang={l}
                  maxLength={ENTRY_LIMITS[field]}
                  aria-required="true"
                  aria-invalid={isMissing(l, field)}
                  value={form[field][l]}
                  onChange={(e) =>
                    set((f) => ({ ...f, [field]: { ...f[field], [l]: e.target.value } }))
                  }
                />
              </div>
            )),
          )}
          <div className="field">
            <label htmlFor="ed-sci">{t('libraryEdit.scientificName')}</label>
            <input
              id="ed-sci"
              lang="la"
              maxLength={ENTRY_LIMITS.scientificName}
              value={form.scientificName}
              onChange={(e) => set((f) => ({ ...f, scientificName: e.target.value }))}
            />
          </div>
        </fieldset>

        <LookAlikePicker
          slug={entry.slug}
          crop={entry.crop.en}
          selected={form.lookAlikes}
          onChange={(lookAlikes) => set((f) => ({ ...f, lookAlikes }))}
        />

        <p className="hint" id="ed-sheet-hint">
          {t('libraryEdit.sheetHint')}
        </p>
        {LANGS.map((l) => (
          <fieldset key={l} lang={l} aria-describedby="ed-sheet-hint">
            <legend lang={lang}>{t(`libraryEdit.sheetIn.${l}`)}</legend>
            {SHEET_FIELDS.map(({ key, list }) => {
              const id = `ed-${l}-${key}`;
              return (
                <div key={key} className="field">
                  <label htmlFor={id} lang={lang}>
                    {t(`libraryEdit.fields.${key}`)}
                  </label>
                  {list && (
                    <p id={`${id}-hint`} className="hint" lang={lang}>
                      {t('libraryEdit.listHint')}
                    </p>
                  )}
                  <textarea
                    id={id}
                    rows={6}
                    maxLength={list ? undefined : SHEET_TEXT_MAX}
                    aria-describedby={list ? `${id}-hint` : undefined}
                    aria-invalid={isMissing(l, key)}
                    value={form.sheet[l][key]}
                    onChange={(e) =>
                      set((f) => ({
                        ...f,
                        sheet: { ...f.sheet, [l]: { ...f.sheet[l], [key]: e.target.value } },
                      }))
                    }
                  />
                </div>
              );
            })}
          </fieldset>
        ))}

        <MissingFields
          title={t('libraryEdit.missingTitle')}
          items={missingText}
          attempt={attempt}
        />
        <ErrorAlert message={failed} />
        {conflict && (
          <div className="row wrap" data-testid="edit-conflict">
            <button
              type="button"
              className="btn secondary"
              disabled={busy}
              onClick={() => void dropDraft().then(onReload)}
            >
              {t('libraryEdit.conflictReload')}
            </button>
            <button
              type="button"
              className="btn secondary"
              disabled={busy || !online}
              onClick={() => void overwrite()}
            >
              {t('libraryEdit.conflictOverwrite')}
            </button>
          </div>
        )}
        {!online && <p className="notice warn">{t('libraryEdit.needOnline')}</p>}
        <button type="submit" className="btn big" disabled={busy || !online}>
          {busy ? t('libraryEdit.saving') : t('libraryEdit.save')}
        </button>
      </form>
    </main>
  );
}
