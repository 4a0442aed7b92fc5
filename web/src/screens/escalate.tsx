import { useLiveQuery } from 'dexie-react-hooks';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ContactPreference } from '@phytodiag/api/contract';
import { PhotoPicker, type Photo } from '../capture/photo-picker';
import { CROPS } from '../components/region-options';
import { db } from '../db/db';
import type { DiagnosisRow, OutboxCase, SettingsRow } from '../db/types';
import { newClientId, queueCase } from '../outbox/outbox-repo';
import { displayName, useEntryMap, useLang } from '../state/library-hooks';
import { kickOutbox, registerBackgroundSync } from '../state/outbox-runner';
import { href, navigate } from '../state/router';
import { useUser } from '../state/session';

type Loc = { lat: number; lon: number; accuracyM?: number };

export function Escalate({
  diagnosisId,
  settings,
}: {
  diagnosisId: string | null;
  settings: SettingsRow;
}) {
  const diagnosis = useLiveQuery(
    async () => (diagnosisId ? ((await db.diagnoses.get(diagnosisId)) ?? null) : null),
    [diagnosisId],
  );
  if (diagnosis === undefined) return null; // first IndexedDB read, a few ms
  return <EscalateForm diagnosis={diagnosis} settings={settings} />;
}

function EscalateForm({
  diagnosis,
  settings,
}: {
  diagnosis: DiagnosisRow | null;
  settings: SettingsRow;
}) {
  const { t } = useTranslation();
  const lang = useLang();
  const user = useUser();
  const entries = useEntryMap();
  const [clientId] = useState(newClientId);
  // Photos of the diagnosis come along (same Blobs: the EXIF was read before, nothing re-encoded).
  const [photos, setPhotos] = useState<Photo[]>(() =>
    (diagnosis?.photos ?? []).map((blob) => ({
      blob,
      meta: { takenAt: diagnosis?.takenAt ?? null, gps: diagnosis?.location ?? null },
    })),
  );
  const [crop, setCrop] = useState(settings.crop ? t(`crops.${settings.crop}`) : '');
  const [description, setDescription] = useState('');
  const [shareLocation, setShareLocation] = useState(false);
  const [location, setLocation] = useState<Loc | null>(null);
  const [locError, setLocError] = useState(false);
  const [contact, setContact] = useState<ContactPreference>('app');
  const [missing, setMissing] = useState(false);

  const photoGps = photos.find((p) => p.meta.gps)?.meta.gps ?? null;

  function useCurrentPosition() {
    setLocError(false);
    navigator.geolocation.getCurrentPosition(
      (pos) =>
        setLocation({
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
    if (photos.length === 0 || !crop.trim()) {
      setMissing(true);
      return;
    }
    const top = diagnosis?.result;
    const c: OutboxCase = {
      clientId,
      crop: crop.trim(),
      description: description.trim(),
      contactPreference: contact,
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
              },
            },
          }
        : {}),
    };
    await queueCase(
      db,
      c,
      photos.map((p) => p.blob),
    );
    void registerBackgroundSync();
    void kickOutbox(true);
    navigate({ name: 'cases' });
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
      <form className="stack" onSubmit={(e) => void submit(e)} noValidate>
        <PhotoPicker photos={photos} onChange={setPhotos} idPrefix="esc" />
        <div className="field">
          <label htmlFor="esc-crop">{t('escalate.crop')}</label>
          <input
            id="esc-crop"
            list="esc-crops"
            value={crop}
            required
            aria-required="true"
            onChange={(e) => setCrop(e.target.value)}
            autoComplete="off"
          />
          <datalist id="esc-crops">
            {CROPS.map((c) => (
              <option key={c} value={t(`crops.${c}`)} />
            ))}
          </datalist>
        </div>
        <div className="field">
          <label htmlFor="esc-desc">{t('escalate.description')}</label>
          <textarea
            id="esc-desc"
            rows={4}
            value={description}
            aria-describedby="esc-desc-hint"
            onChange={(e) => setDescription(e.target.value)}
          />
          <p id="esc-desc-hint" className="hint">
            {t('escalate.descriptionHint')}
          </p>
        </div>
        <fieldset className="card">
          <legend>{t('escalate.location')}</legend>
          <p className="hint">{t('escalate.locationHint')}</p>
          <div className="check">
            <input
              id="esc-loc"
              type="checkbox"
              checked={shareLocation}
              onChange={(e) => setShareLocation(e.target.checked)}
            />
            <label htmlFor="esc-loc">{t('escalate.location')}</label>
          </div>
          {shareLocation && (
            <div className="row wrap">
              {photoGps && (
                <button type="button" className="btn" onClick={() => setLocation(photoGps)}>
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
          {shareLocation && location && (
            <p role="status">
              {t('escalate.locationSet', {
                lat: location.lat.toFixed(5),
                lon: location.lon.toFixed(5),
              })}
            </p>
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
                onChange={() => setContact(c)}
              />
              <label htmlFor={`esc-contact-${c}`}>
                {t(`escalate.contact${c === 'app' ? 'App' : c === 'email' ? 'Email' : 'Phone'}`)}
              </label>
            </div>
          ))}
        </fieldset>
        {missing && (
          <p className="notice error" role="alert">
            {t('escalate.missing')}
          </p>
        )}
        <button type="submit" className="btn big primary" data-testid="submit-case">
          {t('escalate.submit')}
        </button>
      </form>
    </main>
  );
}
