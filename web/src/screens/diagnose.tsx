import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { PhotoPicker, type Photo } from '../capture/photo-picker';
import { ClassifierError, classifyPhotos } from '../classifier/classifier-client';
import { readSeasonFactors } from '../classifier/context-priors';
import { ContextFields } from '../components/context-fields';
import { ModelStatus } from '../components/model-status';
import { addDiagnosis } from '../db/diagnosis-history';
import { db } from '../db/db';
import { isStorageFull } from '../db/storage-full';
import { updateSettings } from '../db/settings';
import type { DiagnosisRow, SettingsRow } from '../db/types';
import { confidenceOf } from '../result/confidence';
import { reportDiagnosis, warmGeo } from '../detections/report-diagnosis';
import { sendQueuedReports } from '../state/detections-runner';
import { currentUser } from '../state/session';
import { formatDateTime } from '../state/format';
import { href, navigate } from '../state/router';
import { useModelHold } from '../state/model-store';

export function Diagnose({ settings }: { settings: SettingsRow }) {
  const { t } = useTranslation();
  const [photos, setPhotos] = useState<Photo[]>([]);
  const [busy, setBusy] = useState(false);
  // Picked photos still being prepared: the diagnosis waits for them.
  const [preparing, setPreparing] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const errorRef = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (error) errorRef.current?.focus();
  }, [error]);
  // Opt-in reports placed by GPS need the boundaries on the device before going offline.
  useEffect(() => warmGeo(settings), [settings]);
  // A model update downloaded meanwhile waits until this diagnosis is done.
  useModelHold(photos.length > 0 || busy);

  async function run() {
    setBusy(true);
    setError(null);
    try {
      const month = new Date().getMonth() + 1;
      const season = settings.priorsEnabled
        ? await readSeasonFactors(db, settings.regionCode, month)
        : null;
      const context = {
        crop: settings.crop,
        regionCode: settings.regionCode,
        month,
        priorsEnabled: settings.priorsEnabled,
        season: season?.scope ?? null,
        factors: season?.factors ?? null,
      };
      const out = await classifyPhotos(
        photos.map((p) => p.blob),
        context,
      );
      const first = photos.find((p) => p.meta.takenAt || p.meta.gps);
      const row: DiagnosisRow = {
        id: crypto.randomUUID(),
        createdAt: new Date().toISOString(),
        photos: photos.map((p) => p.blob),
        takenAt: first?.meta.takenAt ?? null,
        // The photo's GPS position, only with the « Localisation » consent (« sans ce
        // consentement, l'application ne lit jamais le GPS »): the history keeps up to 50
        // diagnoses on a device others may pick up. Kept on the device; a case gets it only
        // if the person ticks « Joindre la position ».
        location: settings.consentLocation
          ? (photos.find((p) => p.meta.gps)?.meta.gps ?? null)
          : null,
        context,
        result: {
          ranked: out.result.ranked.map((r) => ({ slug: r.slug, probability: r.p })),
          abstained: out.result.abstained,
          abstainReason: out.result.reason,
          confidence: confidenceOf(out.result.abstained, out.result.ranked[0]?.p ?? 0),
          modelVersion: out.result.modelVersion,
          backend: out.backend,
          elapsedMs: out.elapsedMs,
          closeUp: out.perPhoto.some((p) => p.closeUpShare !== undefined),
        },
      };
      await addDiagnosis(db, row);
      // Opt-in surveillance report, in the background: a GPS fix must not delay the result.
      void reportDiagnosis(db, row, settings, currentUser()?.id ?? null)
        .then((queued) => {
          if (queued) sendQueuedReports();
        })
        .catch(() => undefined);
      navigate({ name: 'result', id: row.id });
    } catch (err) {
      // In words, never the browser's own (« Failed to fetch »): what happened and what next.
      const code = err instanceof ClassifierError ? err.code : null;
      setError(
        code === 'PHOTO_UNREADABLE'
          ? t('capture.unreadable')
          : code === 'MODEL_DOWNLOAD_FAILED'
            ? t('model.downloadFailed')
            : code === 'MODEL_NOT_AVAILABLE'
              ? t('model.unavailable')
              : isStorageFull(err)
                ? t('capture.storageFull')
                : t('capture.error', { message: err instanceof Error ? err.message : String(err) }),
      );
    } finally {
      setBusy(false);
    }
  }

  const meta = photos[0]?.meta;
  return (
    <main id="main" className="page">
      <h1>{t('capture.title')}</h1>
      <p>{t('capture.intro')}</p>
      <p data-testid="leaf-tip">{t('capture.leafTip')}</p>
      <PhotoPicker
        photos={photos}
        onChange={setPhotos}
        idPrefix="diag"
        onPreparing={setPreparing}
      />
      {meta?.takenAt && (
        <p>{t('capture.takenAt', { date: formatDateTime(meta.takenAt, settings.lang) })}</p>
      )}
      <details className="card">
        <summary>{t('capture.contextTitle')}</summary>
        <ContextFields
          idPrefix="diag"
          crop={settings.crop}
          regionCode={settings.regionCode}
          priorsEnabled={settings.priorsEnabled}
          onChange={(patch) => void updateSettings(db, patch)}
        />
      </details>
      <ModelStatus />
      <button
        type="button"
        className="btn big primary"
        disabled={photos.length === 0 || busy || preparing}
        aria-busy={busy}
        data-testid="run-diagnosis"
        onClick={() => void run()}
      >
        {busy ? t('capture.running') : t('capture.run')}
      </button>
      {/* The button's own text changes too, but only a live region is sure to be read out. */}
      <p className="visually-hidden" role="status">
        {busy ? t('capture.running') : ''}
      </p>
      {error && (
        // Focused (and so scrolled above the tab bar, which hid it): the press did something.
        <div className="notice error" role="alert" tabIndex={-1} ref={errorRef}>
          <p>{error}</p>
          <p>
            <a href={href({ name: 'escalate', diagnosisId: null })}>{t('home.ask')}</a>
          </p>
        </div>
      )}
    </main>
  );
}
