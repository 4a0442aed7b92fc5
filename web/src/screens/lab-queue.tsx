import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type {
  EscalationList,
  EscalationQueueQuery,
  EscalationStatus,
  LibraryKind,
} from '@phytodiag/api/contract';
import { ErrorAlert } from '../components/error-alert';
import { regionName } from '../components/region-options';
import { KindOptions, RegionOptions } from '../components/select-options';
import { errorText } from '../api/error-text';
import { fetchQueue } from '../lab/lab-api';
import { canManageTeam, canSeeIndicators, canTriage } from '../lab/roles';
import { formatDateTime, formatProbability } from '../state/format';
import { cropName, displayName, sortedByName, useEntryMap, useLang } from '../state/library-hooks';
import { useOnline } from '../state/online';
import { href } from '../state/router';
import { dueText } from '../lab/due-text';
import { useUser } from '../state/session';
import type { Lang, LibraryEntryRow } from '../db/types';
import { Forbidden } from './forbidden';

export const STATUSES: EscalationStatus[] = [
  'received',
  'in_review',
  'sample_requested',
  'sample_received',
  'answered',
  'closed',
];

export function LabQueue() {
  const user = useUser();
  if (!canTriage(user)) return <Forbidden />;
  return <Queue />;
}

function Queue() {
  const { t } = useTranslation();
  const user = useUser();
  const lang = useLang();
  const online = useOnline();
  const entries = useEntryMap();
  // Kept for the tab's session: « Retour à la file » after a case finds the same filters.
  const [filters, setFilters] = useState<EscalationQueueQuery>(readSavedFilters);
  useEffect(() => {
    try {
      sessionStorage.setItem(FILTERS_KEY, JSON.stringify(filters));
    } catch {
      // Storage refused (private mode, full): the filters just do not survive a visit.
    }
  }, [filters]);
  const [list, setList] = useState<EscalationList | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loadingMore, setLoadingMore] = useState(false);
  // Bumped by every new first page: a next page asked under other filters is then dropped.
  const generation = useRef(0);

  useEffect(() => {
    let live = true;
    generation.current += 1;
    fetchQueue(filters)
      .then((l) => {
        if (!live) return;
        setList(l);
        setError(null);
      })
      .catch((err: unknown) => live && setError(errorText(err, t)));
    return () => {
      live = false;
    };
  }, [filters, online, t]);

  // The next page (keyset cursor): appended, with the counts of the latest answer.
  const loadMore = (cursor: string) => {
    const asked = generation.current;
    setLoadingMore(true);
    fetchQueue({ ...filters, cursor })
      .then((next) => {
        if (asked !== generation.current) return;
        setList((l) => ({ ...next, items: [...(l?.items ?? []), ...next.items] }));
        setError(null);
      })
      .catch((err: unknown) => setError(errorText(err, t)))
      .finally(() => setLoadingMore(false));
  };

  const patch = (p: Partial<EscalationQueueQuery>) =>
    setFilters((f) => {
      const next = { ...f, ...p };
      for (const k of Object.keys(next) as (keyof EscalationQueueQuery)[])
        if (!next[k]) delete next[k];
      return next;
    });
  const suggestions = sortedByName(
    [...entries.values()].filter((e) => !filters.kind || e.kind === filters.kind),
    lang,
  );

  return (
    <main id="main" className="page">
      <h1>{t('lab.queueTitle')}</h1>
      <p className="row wrap">
        <a className="btn" href={href({ name: 'bankReview' })}>
          {t('bank.reviewTitle')}
        </a>
        <a className="btn" href={href({ name: 'bankUpload' })}>
          {t('bank.uploadTitle')}
        </a>
        <a className="btn" href={href({ name: 'models' })}>
          {t('models.title')}
        </a>
        <a className="btn" href={href({ name: 'canned' })}>
          {t('canned.title')}
        </a>
        <a className="btn" href={href({ name: 'agreement' })}>
          {t('agreement.title')}
        </a>
        <a className="btn" href={href({ name: 'surveillance' })}>
          {t('surveillance.title')}
        </a>
        {canSeeIndicators(user) && (
          <a className="btn" href={href({ name: 'indicators' })}>
            {t('indicators.title')}
          </a>
        )}
        {canManageTeam(user) && (
          <a className="btn" href={href({ name: 'team' })}>
            {t('team.title')}
          </a>
        )}
      </p>
      <SheetsToWrite entries={entries} lang={lang} />
      {list?.counts && (
        <ul className="counts" aria-label={t('lab.counts')} data-testid="queue-counts">
          {STATUSES.map((s) => (
            <li key={s}>
              <button
                type="button"
                className={`btn small ${filters.status === s ? 'primary' : ''}`}
                aria-pressed={filters.status === s}
                onClick={() => patch({ status: filters.status === s ? undefined : s })}
              >
                {t(`lab.caseStatus.${s}`)} <span className="count">{list.counts?.[s] ?? 0}</span>
              </button>
            </li>
          ))}
        </ul>
      )}
      <div className="row wrap lab-filters" role="search" aria-label={t('lab.filters')}>
        <div className="field">
          <label htmlFor="q-status">{t('lab.status')}</label>
          <select
            id="q-status"
            value={filters.status ?? ''}
            onChange={(e) => patch({ status: (e.target.value || undefined) as EscalationStatus })}
          >
            <option value="">{t('lab.all')}</option>
            {STATUSES.map((s) => (
              <option key={s} value={s}>
                {t(`lab.caseStatus.${s}`)}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="q-ref">{t('lab.ref')}</label>
          <input
            id="q-ref"
            type="search"
            inputMode="text"
            autoCapitalize="characters"
            placeholder="PD-2026-…"
            value={filters.ref ?? ''}
            onChange={(e) => patch({ ref: e.target.value.replace(/[^A-Za-z0-9 -]/g, '') })}
          />
        </div>
        <div className="field">
          <label htmlFor="q-crop">{t('lab.crop')}</label>
          <input
            id="q-crop"
            type="search"
            value={filters.crop ?? ''}
            onChange={(e) => patch({ crop: e.target.value })}
          />
        </div>
        <div className="field">
          <label htmlFor="q-region">{t('lab.region')}</label>
          <select
            id="q-region"
            value={filters.regionCode ?? ''}
            onChange={(e) => patch({ regionCode: e.target.value })}
          >
            <option value="">{t('lab.allFeminine')}</option>
            <RegionOptions />
          </select>
        </div>
        <div className="field">
          <label htmlFor="q-kind">{t('lab.suggestionKind')}</label>
          <select
            id="q-kind"
            value={filters.kind ?? ''}
            onChange={(e) =>
              patch({ kind: (e.target.value || undefined) as LibraryKind, suggestion: undefined })
            }
          >
            <option value="">{t('lab.all')}</option>
            <KindOptions />
          </select>
        </div>
        <div className="field">
          <label htmlFor="q-suggestion">{t('lab.suggestion')}</label>
          <select
            id="q-suggestion"
            value={filters.suggestion ?? ''}
            onChange={(e) => patch({ suggestion: e.target.value })}
          >
            <option value="">{t('lab.allFeminine')}</option>
            {suggestions.map((e) => (
              <option key={e.slug} value={e.slug}>
                {e.name[lang]}
              </option>
            ))}
          </select>
        </div>
      </div>
      <ErrorAlert message={error} />
      {list && (
        <p role="status">
          {t(list.nextCursor ? 'lab.resultsMore' : 'lab.results', { count: list.items.length })}
        </p>
      )}
      <ul className="case-list" data-testid="queue">
        {list?.items.map((e) => {
          const top = e.prediction && !e.prediction.abstained ? e.prediction.top[0] : null;
          return (
            <li key={e.id} className={`card ${e.overdue ? 'overdue' : ''}`}>
              <p>
                <span className={`badge status-${e.status}`}>
                  {t(`lab.caseStatus.${e.status}`)}
                </span>{' '}
                {e.overdue && <span className="badge late">{t('lab.overdue')}</span>}{' '}
                {e.replyWaitingSince && (
                  <span className="badge new" data-testid="reply-waiting">
                    {t('lab.replyWaiting')}
                  </span>
                )}{' '}
                <a href={href({ name: 'labCase', id: e.id })}>
                  <strong>{cropName(e.crop, entries, lang)}</strong> ·{' '}
                  {formatDateTime(e.createdAt, lang)}
                </a>
              </p>
              {e.description && <p className="clamp">{e.description}</p>}
              <p className="meta">
                {t(`lab.profile.${e.profileKind}`)}
                {e.regionCode && ` · ${regionName(e.regionCode) ?? ''}`}
                {' · '}
                {top
                  ? t('lab.suggested', {
                      name: displayName(top.slug, entries, lang),
                      p: formatProbability(top.p, lang),
                    })
                  : e.prediction
                    ? t('lab.abstained')
                    : t('lab.noPrediction')}
              </p>
              {e.dueAt && <p className="meta">{dueText(t, e.dueAt, lang)}</p>}
              {e.assignee && (
                <p className="meta">{t('lab.assignee', { name: e.assignee.name ?? '—' })}</p>
              )}
            </li>
          );
        })}
      </ul>
      {list?.nextCursor && (
        <button
          type="button"
          className="btn"
          disabled={loadingMore || !online}
          onClick={() => list.nextCursor && loadMore(list.nextCursor)}
        >
          {t('lab.more')}
        </button>
      )}
    </main>
  );
}

const FILTERS_KEY = 'phytodiag.labQueueFilters';
/** Only the filter fields, as strings: whatever else sessionStorage holds is ignored. */
const FILTER_FIELDS = ['status', 'crop', 'regionCode', 'ref', 'kind', 'suggestion'] as const;

function readSavedFilters(): EscalationQueueQuery {
  try {
    const saved: unknown = JSON.parse(sessionStorage.getItem(FILTERS_KEY) ?? '{}');
    if (typeof saved !== 'object' || saved === null) return {};
    const out: Record<string, string> = {};
    for (const k of FILTER_FIELDS) {
      const v = (saved as Record<string, unknown>)[k];
      if (typeof v === 'string' && v !== '') out[k] = v;
    }
    return out as EscalationQueueQuery;
  } catch {
    return {};
  }
}

/**
 * Library entries with no fact sheet yet (a class an agronomist proposed arrives so): the
 * producer who opens one finds only « ask a specialist », so the lab sees them here.
 */
function SheetsToWrite({ entries, lang }: { entries: Map<string, LibraryEntryRow>; lang: Lang }) {
  const { t } = useTranslation();
  const missing = sortedByName(
    [...entries.values()].filter((e) => e.factSheet === null),
    lang,
  );
  if (missing.length === 0) return null;
  return (
    <section className="notice" aria-labelledby="to-write-h" data-testid="sheets-to-write">
      <h2 id="to-write-h">{t('libraryEdit.toWrite', { count: missing.length })}</h2>
      <ul className="link-list">
        {missing.map((e) => (
          <li key={e.slug}>
            <a href={href({ name: 'entryEdit', slug: e.slug })}>{e.name[lang]}</a>
          </li>
        ))}
      </ul>
    </section>
  );
}
