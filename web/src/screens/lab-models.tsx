import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ModelVersion, TrainingRequestList } from '@phytodiag/api/contract';
import { errorText } from '../api/error-text';
import { ErrorAlert } from '../components/error-alert';
import { fetchModels, fetchTrainingRequests, rollbackModel } from '../lab/lab-api';
import { gateCheckText } from '../lab/gate-text';
import { headlineMetrics } from '../lab/model-metrics';
import { canRollbackModel, canTriage } from '../lab/roles';
import { formatDateTime, formatPercent } from '../state/format';
import { displayName, useEntryMap, useLang } from '../state/library-hooks';
import { useOnline } from '../state/online';
import { href } from '../state/router';
import { useUser } from '../state/session';
import { Forbidden } from './forbidden';

/** The latest retraining requests shown: what is under way and how the last ones ended. */
const TRAINING_SHOWN = 5;

export function LabModels() {
  const user = useUser();
  if (!canTriage(user)) return <Forbidden />;
  return <Models canRollback={canRollbackModel(user)} />;
}

function Models({ canRollback }: { canRollback: boolean }) {
  const { t } = useTranslation();
  const online = useOnline();
  const [items, setItems] = useState<ModelVersion[] | null>(null);
  const [training, setTraining] = useState<TrainingRequestList | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const load = useCallback(
    () =>
      Promise.all([fetchModels(), fetchTrainingRequests()])
        .then(([models, requests]) => {
          setItems(models.items);
          setTraining({ ...requests, items: requests.items.slice(0, TRAINING_SHOWN) });
          setError(null);
        })
        .catch((err: unknown) => setError(errorText(err, t))),
    [t],
  );

  useEffect(() => {
    if (online) void load();
  }, [online, load]);

  async function rollback(version: string) {
    // Every device switches model on its next check: ask once.
    if (!window.confirm(t('models.rollbackConfirm', { version }))) return;
    setBusy(true);
    setError(null);
    setDone(null);
    try {
      await rollbackModel(version);
      setDone(t('models.rolledBack', { version }));
      await load();
    } catch (err) {
      setError(errorText(err, t));
    } finally {
      setBusy(false);
    }
  }

  return (
    <main id="main" className="page">
      <p>
        <a href={href({ name: 'lab' })}>{t('lab.backToQueue')}</a>
      </p>
      <h1>{t('models.title')}</h1>
      <p>{t('models.intro')}</p>
      <ErrorAlert message={error} />
      {done && (
        <p className="notice" role="status">
          {done}
        </p>
      )}
      {training && <TrainingRequests list={training} />}
      {items && <p role="status">{t('models.count', { count: items.length })}</p>}
      <ul className="case-list" data-testid="model-versions">
        {items?.map((v) => (
          <VersionCard
            key={v.version}
            v={v}
            onRollback={
              canRollback && v.status === 'published' && !v.current
                ? () => void rollback(v.version)
                : null
            }
            disabled={busy || !online}
          />
        ))}
      </ul>
    </main>
  );
}

function VersionCard({
  v,
  onRollback,
  disabled,
}: {
  v: ModelVersion;
  onRollback: (() => void) | null;
  disabled: boolean;
}) {
  const { t } = useTranslation();
  const lang = useLang();
  const entries = useEntryMap();
  const m = headlineMetrics(v.metrics);
  const percent = (x: number | null) => (x === null ? null : formatPercent(x, lang));
  const headingId = `model-${v.version}`;
  return (
    <li className="card" aria-labelledby={headingId} data-current={v.current || undefined}>
      <h2 id={headingId}>{t('models.version', { version: v.version })}</h2>
      <p>
        {v.current && <span className="badge conf-probable">{t('models.current')}</span>}{' '}
        <span className={`badge ${v.status === 'rejected' ? 'late' : ''}`}>
          {t(`models.status.${v.status}`)}
        </span>
      </p>
      <dl className="facts">
        <dt>{t('models.date')}</dt>
        <dd>{formatDateTime(v.createdAt, lang)}</dd>
        <dt>{t('models.top1')}</dt>
        <dd>{percent(m.top1) ?? t('models.none')}</dd>
        <dt>{t('models.ece')}</dt>
        <dd>{percent(m.ece) ?? t('models.none')}</dd>
        {v.gate?.baselineVersion && v.gate.basis && (
          <>
            <dt>{t('models.gateBasis')}</dt>
            <dd>
              {t(v.gate.basis === 'same-photos' ? 'models.gateSamePhotos' : 'models.gateRecorded', {
                version: v.gate.baselineVersion,
                n: v.gate.samples?.baseline ?? '?',
              })}
            </dd>
          </>
        )}
      </dl>
      {v.status === 'rejected' && v.gate && v.gate.checks.some((c) => !c.ok) && (
        <div className="notice warn">
          <h3>{t('models.gateReasons')}</h3>
          {v.gate.baselineVersion && (
            <p>{t('models.gateNote', { version: v.gate.baselineVersion })}</p>
          )}
          <ul>
            {v.gate.checks
              .filter((c) => !c.ok)
              .map((c) => (
                <li key={`${c.metric}-${c.slug ?? ''}`}>
                  {gateCheckText(c, t, lang, (slug) => displayName(slug, entries, lang))}
                </li>
              ))}
          </ul>
        </div>
      )}
      {onRollback && (
        <div className="row wrap">
          <button type="button" className="btn" disabled={disabled} onClick={onRollback}>
            {t('models.rollback')}
          </button>
        </div>
      )}
    </li>
  );
}

/**
 * The retraining queue: whether validated bank photos are waiting for a training, one is running,
 * and how the last ones ended (a model the gate refused stays listed below, with its reasons).
 */
function TrainingRequests({ list }: { list: TrainingRequestList }) {
  const { t } = useTranslation();
  const lang = useLang();
  const { items, waitingClasses, minimumImages } = list;
  return (
    <section aria-labelledby="training-title" className="card">
      <h2 id="training-title">{t('models.training.title')}</h2>
      {/* A class validated with too few photos is left out of every training, silently before. */}
      {waitingClasses.length > 0 && (
        <div className="notice warn" data-testid="waiting-classes">
          <p>{t('models.training.waiting', { count: minimumImages })}</p>
          <ul className="bullets">
            {waitingClasses.map((c) => (
              <li key={c.slug}>
                {t('models.training.waitingClass', {
                  name: c.name[lang],
                  count: c.images,
                  missing: minimumImages - c.images,
                })}
              </li>
            ))}
          </ul>
        </div>
      )}
      {items.length === 0 ? (
        <p>{t('models.training.none')}</p>
      ) : (
        <ul className="stack" data-testid="training-requests">
          {items.map((r) => (
            <li key={r.id}>
              <span className={`badge ${r.status === 'failed' ? 'late' : ''}`}>
                {t(`models.training.status.${r.status}`)}
              </span>{' '}
              {/* Under way: when it was asked for; ended: when it ended. */}
              {r.status === 'queued' || r.status === 'running'
                ? t('models.training.requested', { date: formatDateTime(r.createdAt, lang) })
                : t('models.training.ended', { date: formatDateTime(r.updatedAt, lang) })}
              {r.newImages > 0 && ` · ${t('models.training.newImages', { count: r.newImages })}`}
              {r.removedImages > 0 &&
                ` · ${t('models.training.removedImages', { count: r.removedImages })}`}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
