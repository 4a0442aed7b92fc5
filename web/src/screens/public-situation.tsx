import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { PublicDetections } from '@phytodiag/api/contract';
import { errorText } from '../api/error-text';
import { ChoroplethMap, type ChoroplethValue } from '../components/choropleth-map';
import { ErrorAlert } from '../components/error-alert';
import { STACK_BELOW, useStacked } from '../components/stacked-table';
import { initialPeriod, PeriodFilter, type Period } from '../components/period-filter';
import { loadRegions, type Regions } from '../geo/geo-data';
import { shapeNames } from '../geo/shape-names';
import { formatDay } from '../state/format';
import { displayName, sortedByName, useEntryMap, useLang } from '../state/library-hooks';
import { useOnline } from '../state/online';
import { useFetched } from '../state/use-fetched';
import { href } from '../state/router';
import { PUBLIC_MIN_CELL_COUNT } from '../surveillance/limits';
import { fetchPublicDetections } from '../surveillance/surveillance-api';
import { LanguageSwitch } from './language-switch';

/**
 * "Situation phytosanitaire": anyone, no account, no profile. Only what the API already made
 * safe: confirmed detections by region × week × class, cells under the minimum left out.
 */
export function PublicSituation({ standalone = false }: { standalone?: boolean }) {
  const { t } = useTranslation();
  const stacked = useStacked(STACK_BELOW.fourColumns);
  const lang = useLang();
  const online = useOnline();
  const entries = useEntryMap();
  const [slug, setSlug] = useState('');
  const [period, setPeriod] = useState<Period>(() => initialPeriod('seasonal'));
  const [regions, setRegions] = useState<Regions | null>(null);

  const query = { slug: slug || undefined, from: period.from, to: period.to };
  const { data, error, loading } = useFetched<PublicDetections>(
    `${slug}|${period.from}|${period.to}|${online}`,
    () => fetchPublicDetections(query),
  );
  const [geoError, setGeoError] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    loadRegions()
      .then((r) => live && setRegions(r))
      .catch((err: unknown) => live && setGeoError(errorText(err, t)));
    return () => {
      live = false;
    };
  }, [online, t]);

  const names = useMemo(() => shapeNames(regions, lang), [regions, lang]);
  const cells = data?.cells;
  const totals = useMemo(() => {
    const m = new Map<string, ChoroplethValue>();
    for (const c of cells ?? [])
      m.set(c.regionCode, { value: (m.get(c.regionCode)?.value ?? 0) + c.count });
    return m;
  }, [cells]);
  const rows = useMemo(
    () =>
      [...(cells ?? [])].sort(
        (a, b) =>
          b.week.localeCompare(a.week) ||
          a.regionCode.localeCompare(b.regionCode) ||
          a.slug.localeCompare(b.slug),
      ),
    [cells],
  );
  const minCount = data?.minCount ?? PUBLIC_MIN_CELL_COUNT;
  // Crop enemies only: the public figures never count healthy leaves (the API leaves them out),
  // so offering them would only ever show an empty page.
  const classes = sortedByName(
    [...entries.values()].filter((e) => e.kind !== 'healthy'),
    lang,
  );

  return (
    <main id="main" className="page">
      {standalone && (
        <div className="row wrap">
          <a href={href({ name: 'home' })}>{t('publicView.start')}</a>
          <LanguageSwitch />
        </div>
      )}
      <h1>{t('publicView.title')}</h1>
      <p>{t('publicView.intro')}</p>
      <p className="notice" data-testid="public-privacy">
        {t('publicView.privacy', { count: minCount })}
      </p>
      <div className="row wrap lab-filters" role="search" aria-label={t('surveillance.filters')}>
        <div className="field">
          <label htmlFor="p-class">{t('surveillance.class')}</label>
          <select id="p-class" value={slug} onChange={(e) => setSlug(e.target.value)}>
            <option value="">{t('lab.allFeminine')}</option>
            {classes.map((e) => (
              <option key={e.slug} value={e.slug}>
                {e.name[lang]}
              </option>
            ))}
          </select>
        </div>
        <PeriodFilter idPrefix="p" value={period} onChange={setPeriod} />
      </div>
      {!online && data && <p className="notice warn">{t('surveillance.offlineData')}</p>}
      <ErrorAlert message={error ?? geoError} />
      <p role="status" data-testid="public-status">
        {loading ? t('app.loading') : data ? t('publicView.results', { count: rows.length }) : ''}
      </p>
      {regions && data && (
        <ChoroplethMap
          geo={regions}
          values={totals}
          labelOf={(code) =>
            t('publicView.shapeLabel', {
              name: names.get(code) ?? code,
              count: totals.get(code)?.value ?? 0,
            })
          }
          caption={t('publicView.mapCaption')}
          legendTitle={t('publicView.legend')}
          minCount={minCount}
          zeroLabel={t('publicView.legendZero', { count: minCount })}
          testId="public-map"
        />
      )}
      {data && rows.length === 0 && !loading && (
        <div className="notice">
          <p>{t('publicView.empty')}</p>
          {period.preset !== 'last52' && (
            <button
              type="button"
              className="btn secondary"
              onClick={() => setPeriod(initialPeriod('last52'))}
            >
              {t('publicView.widen')}
            </button>
          )}
        </div>
      )}
      {rows.length > 0 && (
        <div
          className="table-wrap"
          tabIndex={0}
          role="region"
          aria-label={t('publicView.tableCaption')}
        >
          {/* Explicit roles: on a narrow phone the rows are laid out as blocks (stacked), which
              would otherwise drop the table semantics in some browsers. */}
          <table
            className={`top5 data-table${stacked ? ' stacked' : ''}`}
            data-testid="public-table"
            role="table"
          >
            <caption>{t('publicView.tableCaption')}</caption>
            <thead role="rowgroup">
              <tr role="row">
                <th scope="col" role="columnheader">
                  {t('surveillance.week')}
                </th>
                <th scope="col" role="columnheader">
                  {t('lab.region')}
                </th>
                <th scope="col" role="columnheader">
                  {t('surveillance.class')}
                </th>
                <th scope="col" role="columnheader" className="num">
                  {t('publicView.count')}
                </th>
              </tr>
            </thead>
            <tbody role="rowgroup">
              {rows.map((c) => (
                <tr key={`${c.week}|${c.regionCode}|${c.slug}`} role="row">
                  <td role="cell" data-label={t('surveillance.week')}>
                    <time dateTime={c.week}>{formatDay(c.week, lang)}</time>
                  </td>
                  <td role="cell" data-label={t('lab.region')}>
                    {c.regionCode} – {names.get(c.regionCode) ?? ''}
                  </td>
                  <td role="cell" className="name">
                    {displayName(c.slug, entries, lang)}
                  </td>
                  <td role="cell" className="num" data-label={t('publicView.count')}>
                    {c.count}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <p className="meta">{t('publicView.source')}</p>
    </main>
  );
}
