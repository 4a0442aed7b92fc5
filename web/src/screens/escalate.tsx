import { ActionNotice } from '../components/action-notice';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ContactPreference } from '@phytodiag/api/contract';
import { OTHER_CROP, cropIdOf } from '@phytodiag/model/classifier-core';
import { PhotoPicker, type Photo } from '../capture/photo-picker';
import { PHONE_MAX_LENGTH, PHONE_NUMBER } from '../lab/limits';
import { CropDatalist } from '../components/select-options';
import { ErrorAlert } from '../components/error-alert';
import { MissingFields } from '../components/missing-fields';
import { db } from '../db/db';
import type { DiagnosisRow, DraftForm, OutboxCase, OutboxRow, SettingsRow } from '../db/types';
import {
  discardDraft,
  findDraft,
  lastContact,
  newClientId,
  queueCase,
  saveDraft,
  submittedFor,
} from '../outbox/outbox-repo';
import { changeConsents } from '../privacy/consents';
import { displayName, useEntryMap, useLang } from '../state/library-hooks';
import { kickOutbox, registerOutboxSync } from '../state/outbox-runner';
import { flash } from '../state/flash';
import { formatDateTime } from '../state/format';
import { href, navigate } from '../state/router';
import { useUser } from '../state/session';
import { isStorageFull } from '../db/storage-full';

type Loc = { lat: number; lon: number; accuracyM?: number };

export function Escalate({
  diagnosisId,
  about,
  settings,
}: {
  diagnosisId: string | null;
  /** Opened from this library entry: its crop is the likely one. */
  about?: string;
  settings: SettingsRow;
}) {
  const lang = useLang();
  // The fact sheet a form without a diagnosis was opened from (its drafts are its own).
  const sheet = diagnosisId ? null : (about ?? null);
  // Read once (not live): the form's own autosaves must not re-create it.
  const [loaded, setLoaded] = useState<{
    diagnosis: DiagnosisRow | null;
    draft: OutboxRow | null;
    /** The crop field's first value, in the UI language ('' when none is known). */
    initialCrop: string;
    /** How the last request asked to be answered, and the last call-back number ('' if none). */
    initialContact: { contact: ContactPreference | null; phone: string };
    /** A request already submitted from this diagnosis. */
    earlier: { createdAt: string; serverId: string | null } | null;
  } | null>(null);
  useEffect(() => {
    let live = true;
    void (async () => {
      const diagnosis = diagnosisId ? ((await db.diagnoses.get(diagnosisId)) ?? null) : null;
      const draft = await findDraft(db, diagnosisId, sheet);
      const top = diagnosis && !diagnosis.result.abstained ? diagnosis.result.ranked[0] : null;
      const slug = top?.slug ?? (diagnosis ? undefined : about);
      const entry = slug ? await db.libraryEntries.get(slug) : undefined;
      // The crop named for this diagnosis, else the diagnosed (or read-about) class's crop, else
      // the usual one.
      // "Another crop" names none: the producer types it.
      const key = [diagnosis?.context.crop, entry && cropIdOf(entry), settings.crop].find(
        (c) => c !== undefined && c !== null,
      );
      const named =
        key && key !== OTHER_CROP
          ? await db.libraryEntries.where('cropSlug').equals(key).first()
          : undefined;
      const initialContact = await lastContact(db);
      const earlier = diagnosisId ? await submittedFor(db, diagnosisId) : null;
      if (live) {
        setLoaded({
          diagnosis,
          draft,
          initialCrop: named?.crop[lang] ?? '',
          initialContact,
          earlier,
        });
      }
    })();
    return () => {
      live = false;
    };
    // Read once: a later change of the settings or language does not retype the form's crop.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [diagnosisId, about]);
  if (!loaded) return null; // first IndexedDB read, a few ms
  return (
    <EscalateForm
      key={loaded.draft?.clientId ?? 'new'}
      diagnosisId={diagnosisId}
      diagnosis={loaded.diagnosis}
      draft={loaded.draft}
      settings={settings}
      initialCrop={loaded.initialCrop}
      initialContact={loaded.initialContact}
      earlier={loaded.earlier}
      about={sheet}
      onDiscard={() => setLoaded({ ...loaded, draft: null })}
    />
  );
}

/** Autosave delay after the last keystroke. */
const AUTOSAVE_MS = 400;

function EscalateForm({
  diagnosisId,
  diagnosis,
  draft,
  settings,
  initialCrop,
  initialContact,
  earlier,
  about,
  onDiscard,
}: {
  diagnosisId: string | null;
  diagnosis: DiagnosisRow | null;
  draft: OutboxRow | null;
  settings: SettingsRow;
  initialCrop: string;
  initialContact: { contact: ContactPreference | null; phone: string };
  earlier: { createdAt: string; serverId: string | null } | null;
  about: string | null;
  onDiscard: () => void;
}) {
  const { t } = useTranslation();
  const lang = useLang();
  const user = useUser();
  const entries = useEntryMap();
  const form = draft?.form;
  const [clientId] = useState(() => draft?.clientId ?? newClientId());
  // Photos of the diagnosis come along (same Blobs: the EXIF was read before, nothing re-encoded).
  // Picked photos still being prepared: sending waits, or the request would go without them.
  const [photosPreparing, setPhotosPreparing] = useState(false);
  const [photos, setPhotos] = useState<Photo[]>(() =>
    draft && form
      ? draft.photos.map((blob, i) => ({
          blob,
          meta: form.photoMeta[i] ?? { takenAt: null, gps: null },
        }))
      : (diagnosis?.photos ?? []).map((blob) => ({
          blob,
          meta: { takenAt: diagnosis?.takenAt ?? null, gps: diagnosis?.location ?? null },
        })),
  );
  const [crop, setCrop] = useState(() => form?.crop ?? initialCrop);
  const [description, setDescription] = useState(form?.description ?? '');
  const [shareLocation, setShareLocation] = useState(form?.shareLocation ?? false);
  const [location, setLocation] = useState<Loc | null>(form?.location ?? null);
  const [locError, setLocError] = useState(false);
  // Answered as last time (a producer who asked to be called likely wants a call again), and the
  // number already there should they switch to a call.
  const [contact, setContact] = useState<ContactPreference>(
    form?.contact ?? initialContact.contact ?? 'app',
  );
  const [phone, setPhone] = useState(form?.contactPhone ?? initialContact.phone);
  const [photoReuse, setPhotoReuse] = useState(form?.consentPhotoReuse ?? false);
  // What the last submit lacked, in form order (each says what to fix).
  const [missing, setMissing] = useState<('photo' | 'crop' | 'phone')[]>([]);
  const [refused, setRefused] = useState(0);
  /** The device could not keep the request (storage full, IndexedDB failing): the form stays. */
  const [saveError, setSaveError] = useState<string | null>(null);
  // The last autosave could not be written (a full device): what is typed lives on screen only.
  const [draftNotKept, setDraftNotKept] = useState(false);
  // Only what the user touched is worth a draft: opening the screen alone saves nothing.
  const [dirty, setDirty] = useState(false);
  const submitted = useRef(false);

  const photoGps = photos.find((p) => p.meta.gps)?.meta.gps ?? null;

  function edit<T>(set: (v: T) => void): (v: T) => void {
    return (v) => {
      set(v);
      setDirty(true);
    };
  }

  function buildCase(): OutboxCase {
    const top = diagnosis?.result;
    // A draft whose diagnosis was since deleted from the device keeps the prediction it saved.
    const saved = !top && draft?.case.prediction ? { prediction: draft.case.prediction } : {};
    return {
      clientId,
      crop: crop.trim(),
      description: description.trim(),
      contactPreference: contact,
      // Only for a call back: the app asks for no phone number otherwise.
      ...(contact === 'phone' ? { contactPhone: phone.trim() } : {}),
      // Opt-in: only then may the lab add these photos to the image bank (never by default).
      ...(photoReuse ? { consentPhotoReuse: true } : {}),
      ...(settings.regionCode ? { regionCode: settings.regionCode } : {}),
      // Only with explicit consent (checkbox) AND a real position; never a made-up one.
      ...(shareLocation && location ? { location } : {}),
      ...(top
        ? {
            prediction: {
              modelVersion: top.modelVersion,
              abstained: top.abstained,
              top: top.ranked.slice(0, 5).map((r) => ({ slug: r.slug, p: r.probability })),
              context: {
                ...(diagnosis.context.crop ? { crop: diagnosis.context.crop } : {}),
                ...(diagnosis.context.regionCode
                  ? { regionCode: diagnosis.context.regionCode }
                  : {}),
                month: diagnosis.context.month,
                priors: diagnosis.context.priorsEnabled,
                ...(diagnosis.context.season === 'region' || diagnosis.context.season === 'province'
                  ? { season: diagnosis.context.season }
                  : {}),
              },
            },
          }
        : saved),
    };
  }

  function formState(): DraftForm {
    return {
      diagnosisId,
      about,
      crop,
      description,
      shareLocation,
      location: shareLocation ? location : null,
      contact,
      contactPhone: phone,
      consentPhotoReuse: photoReuse,
      photoMeta: photos.map((p) => p.meta),
    };
  }

  // Autosave (debounced) so a reload, a closed tab or an app update loses nothing; flushed at
  // once when the page is hidden, the moment a mobile browser may kill it.
  const save = useRef<() => void>(() => undefined);
  const persistAsked = useRef(false);
  // The latest form state for the timer and page-hide handlers (set after each render).
  useEffect(() => {
    save.current = () => {
      if (!dirty || submitted.current) return;
      saveDraft(
        db,
        buildCase(),
        photos.map((p) => p.blob),
        formState(),
      ).then(
        () => {
          setDraftNotKept(false);
          // A draft is worth keeping under storage pressure too, not only a sent request: asked
          // once per form, not at every autosave.
          if (persistAsked.current) return;
          persistAsked.current = true;
          void navigator.storage?.persist?.().catch(() => false);
        },
        () => setDraftNotKept(true),
      );
    };
  });
  useEffect(() => {
    if (!dirty) return;
    const timer = window.setTimeout(() => save.current(), AUTOSAVE_MS);
    return () => window.clearTimeout(timer);
  }, [dirty, photos, crop, description, shareLocation, location, contact, phone, photoReuse]);
  useEffect(() => {
    const flush = () => {
      if (document.visibilityState === 'hidden') save.current();
    };
    const hide = () => save.current();
    document.addEventListener('visibilitychange', flush);
    window.addEventListener('pagehide', hide);
    return () => {
      document.removeEventListener('visibilitychange', flush);
      window.removeEventListener('pagehide', hide);
      save.current(); // leaving the screen inside the app
    };
  }, []);

  // No GPS read without the "Localisation" consent: the first use asks for it, right here.
  const [askLocation, setAskLocation] = useState(false);
  function useCurrentPosition() {
    setLocError(false);
    if (!settings.consentLocation) {
      setAskLocation(true);
      return;
    }
    readPosition();
  }

  async function allowLocation() {
    setAskLocation(false);
    await changeConsents(db, { consentLocation: true }, { signedIn: !!user });
    readPosition();
  }

  function readPosition() {
    navigator.geolocation.getCurrentPosition(
      (pos) =>
        edit(setLocation)({
          lat: pos.coords.latitude,
          lon: pos.coords.longitude,
          accuracyM: pos.coords.accuracy,
        }),
      () => setLocError(true),
      { enableHighAccuracy: true, timeout: 15_000 },
    );
  }

  async function submit(e: React.FormEvent) {
    e.preventDefault();
    const lacking = [
      ...(photos.length === 0 ? (['photo'] as const) : []),
      ...(!crop.trim() ? (['crop'] as const) : []),
      ...(contact === 'phone' && !PHONE_NUMBER.test(phone.trim()) ? (['phone'] as const) : []),
    ];
    setMissing(lacking);
    if (lacking.length > 0) {
      setRefused((n) => n + 1);
      return;
    }
    submitted.current = true;
    setSaveError(null);
    try {
      await queueCase(
        db,
        buildCase(),
        photos.map((p) => p.blob),
        formState(),
      );
    } catch (err) {
      // Nothing was kept: the form stays on screen (and saves itself again) for another try.
      submitted.current = false;
      setSaveError(
        isStorageFull(err)
          ? t('escalate.storageFull')
          : t('escalate.saveFailed', { message: err instanceof Error ? err.message : String(err) }),
      );
      return;
    }
    // A request waiting on the device must not be evicted under storage pressure (only the
    // library download asked for this before).
    void navigator.storage?.persist?.().catch(() => false);
    void registerOutboxSync();
    void kickOutbox(true);
    flash(user ? 'escalate.saved' : 'escalate.savedSignedOut', clientId);
    navigate({ name: 'cases' });
  }

  async function startOver() {
    submitted.current = true; // no autosave of the old form on the way out
    await discardDraft(db, clientId);
    onDiscard();
  }

  return (
    <main id="main" className="page">
      <h1>{t('escalate.title')}</h1>
      <p>{t('escalate.intro')}</p>
      {!user && (
        <p className="notice warn">
          {t('escalate.signInNeeded')}{' '}
          <a href={href({ name: 'account', mode: 'login' })}>{t('cases.signIn')}</a>
        </p>
      )}
      {diagnosis && diagnosis.result.ranked[0] && (
        <p className="notice">
          {t('escalate.prediction', {
            name: diagnosis.result.abstained
              ? t('result.abstainTitle')
              : displayName(diagnosis.result.ranked[0].slug, entries, lang),
          })}
        </p>
      )}
      {earlier && (
        <p className="notice warn" data-testid="already-sent">
          {t('escalate.alreadySent', { date: formatDateTime(earlier.createdAt, lang) })}{' '}
          <a
            href={href(
              earlier.serverId ? { name: 'case', id: earlier.serverId } : { name: 'cases' },
            )}
          >
            {t(earlier.serverId ? 'escalate.alreadySentOpen' : 'escalate.alreadySentList')}
          </a>
        </p>
      )}
      {draft && (
        <div className="notice row wrap" data-testid="draft-restored">
          <p role="status">{t('escalate.draftRestored')}</p>
          <button type="button" className="btn small" onClick={() => void startOver()}>
            {t('escalate.draftDiscard')}
          </button>
        </div>
      )}
      <form className="stack" onSubmit={(e) => void submit(e)} noValidate>
        <PhotoPicker
          photos={photos}
          onChange={edit(setPhotos)}
          idPrefix="esc"
          onPreparing={setPhotosPreparing}
        />
        <div className="field">
          <label htmlFor="esc-crop">{t('escalate.crop')}</label>
          <input
            id="esc-crop"
            list="esc-crops"
            value={crop}
            required
            aria-required="true"
            aria-invalid={missing.includes('crop') || undefined}
            onChange={(e) => edit(setCrop)(e.target.value)}
            autoComplete="off"
          />
          <CropDatalist id="esc-crops" />
        </div>
        <div className="field">
          <label htmlFor="esc-desc">{t('escalate.description')}</label>
          <textarea
            id="esc-desc"
            rows={4}
            value={description}
            aria-describedby="esc-desc-hint"
            onChange={(e) => edit(setDescription)(e.target.value)}
          />
          <p id="esc-desc-hint" className="hint">
            {t('escalate.descriptionHint')}
          </p>
        </div>
        <fieldset className="card">
          <legend>{t('escalate.locationTitle')}</legend>
          <p className="hint">{t('escalate.locationHint')}</p>
          <div className="check">
            <input
              id="esc-loc"
              type="checkbox"
              checked={shareLocation}
              onChange={(e) => {
                edit(setShareLocation)(e.target.checked);
                // Unticked, the position is forgotten, not kept in the draft on the device.
                if (!e.target.checked) setLocation(null);
              }}
            />
            <label htmlFor="esc-loc">{t('escalate.location')}</label>
          </div>
          {shareLocation && (
            <div className="row wrap">
              {photoGps && (
                <button type="button" className="btn" onClick={() => edit(setLocation)(photoGps)}>
                  {t('escalate.locationFromPhoto')}
                </button>
              )}
              {'geolocation' in navigator && (
                <button type="button" className="btn" onClick={useCurrentPosition}>
                  {t('escalate.locationGet')}
                </button>
              )}
            </div>
          )}
          {shareLocation && askLocation && (
            <div className="notice stack" role="group" aria-labelledby="esc-ask-loc-h">
              <h3 id="esc-ask-loc-h">{t('privacy.askLocationTitle')}</h3>
              <p>{t('privacy.askLocationBody')}</p>
              <div className="row wrap">
                <button type="button" className="btn primary" onClick={() => void allowLocation()}>
                  {t('privacy.allow')}
                </button>
                <button type="button" className="btn" onClick={() => setAskLocation(false)}>
                  {t('privacy.notNow')}
                </button>
              </div>
            </div>
          )}
          {shareLocation && location && (
            <ActionNotice>
              {t('escalate.locationSet', {
                lat: location.lat.toFixed(5),
                lon: location.lon.toFixed(5),
              })}
            </ActionNotice>
          )}
          {locError && <p role="alert">{t('escalate.locationError')}</p>}
        </fieldset>
        <fieldset className="card">
          <legend>{t('escalate.contact')}</legend>
          {(['app', 'email', 'phone'] as const).map((c) => (
            <div className="check" key={c}>
              <input
                id={`esc-contact-${c}`}
                type="radio"
                name="contact"
                checked={contact === c}
                onChange={() => edit(setContact)(c)}
              />
              <label htmlFor={`esc-contact-${c}`}>
                {t(`escalate.contact${c === 'app' ? 'App' : c === 'email' ? 'Email' : 'Phone'}`)}
              </label>
            </div>
          ))}
          {contact === 'phone' && (
            <div className="field">
              <label htmlFor="esc-phone">{t('escalate.phone')}</label>
              <input
                id="esc-phone"
                type="tel"
                inputMode="tel"
                autoComplete="tel"
                required
                maxLength={PHONE_MAX_LENGTH}
                value={phone}
                aria-describedby="esc-phone-hint"
                aria-invalid={missing.includes('phone') || undefined}
                onChange={(e) => edit(setPhone)(e.target.value)}
              />
              <p id="esc-phone-hint" className="hint">
                {t('escalate.phoneHint')}
              </p>
            </div>
          )}
        </fieldset>
        <div className="card">
          <div className="check">
            <input
              id="esc-photo-reuse"
              type="checkbox"
              checked={photoReuse}
              aria-describedby="esc-photo-reuse-hint"
              onChange={(e) => edit(setPhotoReuse)(e.target.checked)}
            />
            <label htmlFor="esc-photo-reuse">{t('escalate.photoReuse')}</label>
          </div>
          <p id="esc-photo-reuse-hint" className="hint">
            {t('escalate.photoReuseHint')}
          </p>
        </div>
        <MissingFields
          title={t('escalate.missing')}
          items={missing.map((m) => t(`escalate.missingWhat.${m}`))}
          attempt={refused}
        />
        {draftNotKept && (
          <p className="notice warn" role="status" data-testid="draft-not-kept">
            {t('escalate.draftNotKept')}
          </p>
        )}
        <ErrorAlert message={saveError} />
        <button
          type="submit"
          className="btn big primary"
          data-testid="submit-case"
          disabled={photosPreparing}
        >
          {t('escalate.submit')}
        </button>
      </form>
    </main>
  );
}
