import { useEffect, useMemo, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { PlotOptions } from '@observablehq/plot';
import type {
  LibraryKind,
  MapLevel,
  SurveillanceMap,
  SurveillanceQuery,
  SurveillanceSeries,
  SurveillanceTable,
} from '@phytodiag/api/contract';
import { errorText } from '../api/error-text';
import { ChoroplethMap, type ChoroplethValue } from '../components/choropleth-map';
import { ErrorAlert } from '../components/error-alert';
import { initialPeriod, PeriodFilter, type Period } from '../components/period-filter';
import { PlotFigure } from '../components/plot-figure';
import { STACK_BELOW, useStacked } from '../components/stacked-table';
import { regionName } from '../components/region-options';
import { KindOptions, RegionOptions } from '../components/select-options';
import { loadMrcs, loadRegions, type Mrcs, type Regions } from '../geo/geo-data';
import { shapeNames } from '../geo/shape-names';
import { canTriage } from '../lab/roles';
import { formatDay } from '../state/format';
import { cropName, displayName, sortedByName, useEntryMap, useLang } from '../state/library-hooks';
import { useOnline } from '../state/online';
import { href } from '../state/router';
import { useUser } from '../state/session';
import { useFetched } from '../state/use-fetched';
import { seriesChart } from '../surveillance/charts';
import { searchOf, tableCsvUrl } from '../surveillance/query';
import {
  fetchSurveillanceMap,
  fetchSurveillanceSeries,
  fetchSurveillanceTable,
} from '../surveillance/surveillance-api';
import { Forbidden } from './forbidden';

type Source = NonNullable<SurveillanceQuery['source']>;
const SOURCES: Source[] = ['all', 'confirmed', 'device'];
/**
 * Table rows rendered at a time: a year of detections is hundreds of rows, a phone screen holds
 * a few. The map, the series and the CSV export cover every row.
 */
const TABLE_PAGE = 50;

export function LabSurveillance() {
  const user = useUser();
  if (!canTriage(user)) return <Forbidden publicView />;
  return <Dashboard />;
}

interface Filters {
  slug: string;
  kind: LibraryKind | '';
  crop: string;
  regionCode: string;
  source: Source;
  level: MapLevel;
  period: Period;
}

function toQuery(f: Filters): SurveillanceQuery {
  return {
    slug: f.slug || undefined,
    kind: f.kind || undefined,
    crop: f.crop.trim() || undefined,
    regionCode: f.regionCode || undefined,
    from: f.period.from,
    to: f.period.to,
    source: f.source,
    level: f.level,
  };
}

type TableRow = SurveillanceTable['rows'][number];

interface Data {
  map: SurveillanceMap;
  series: SurveillanceSeries;
  table: SurveillanceTable;
}

function Dashboard() {
  const { t } = useTranslation();
  const lang = useLang();
  const online = useOnline();
  const entries = useEntryMap();
  const [filters, setFilters] = useState<Filters>(() => ({
    slug: '',
    kind: '',
    crop: '',
    regionCode: '',
    source: 'all',
    level: 'region',
    period: initialPeriod('last12'),
  }));
  // The crop is typed: wait for a pause before querying.
  const [cropInput, setCropInput] = useState('');
  const [geo, setGeo] = useState<{ region?: Regions; mrc?: Mrcs }>({});
  const [geoError, setGeoError] = useState<string | null>(null);

  useEffect(() => {
    const id = setTimeout(
      () => setFilters((f) => (f.crop === cropInput ? f : { ...f, crop: cropInput })),
      400,
    );
    return () => clearTimeout(id);
  }, [cropInput]);

  const query = useMemo(() => toQuery(filters), [filters]);
  // Rows shown, for the filters they were extended under: new filters start at the first page.
  const [extended, setExtended] = useState({ search: '', shown: TABLE_PAGE });
  const search = searchOf(query);
  const tableShown = extended.search === search ? extended.shown : TABLE_PAGE;

  const { data, error, loading } = useFetched<Data>(`${search}|${online}`, () =>
    Promise.all([
      fetchSurveillanceMap(query),
      fetchSurveillanceSeries(query),
      fetchSurveillanceTable(query),
    ]).then(([map, series, table]) => ({ map, series, table })),
  );

  // Boundaries of the map's level, and the MRC names for the table (MRC level or not).
  useEffect(() => {
    let live = true;
    Promise.all([loadRegions(), loadMrcs()])
      .then(([region, mrc]) => live && setGeo({ region, mrc }))
      .catch((err: unknown) => live && setGeoError(errorText(err, t)));
    return () => {
      live = false;
    };
  }, [online, t]);

  const patch = (p: Partial<Filters>) => setFilters((f) => ({ ...f, ...p }));
  const classes = sortedByName(
    [...entries.values()].filter((e) => !filters.kind || e.kind === filters.kind),
    lang,
  );
  const levelGeo = filters.level === 'region' ? geo.region : geo.mrc;
  const names = useMemo(() => shapeNames(levelGeo ?? null, lang), [levelGeo, lang]);
  const mrcNames = useMemo(() => shapeNames(geo.mrc ?? null, lang), [geo.mrc, lang]);

  const cells = data?.map.cells;
  const values = useMemo(() => {
    const m = new Map<string, ChoroplethValue>();
    for (const c of cells ?? []) {
      const value =
        filters.source === 'confirmed'
          ? c.confirmed
          : filters.source === 'device'
            ? c.device
            : c.confirmed + c.device;
      m.set(c.code, { value, hatched: filters.source !== 'confirmed' && c.device > 0 });
    }
    return m;
  }, [cells, filters.source]);
  const byCode = useMemo(() => new Map((cells ?? []).map((c) => [c.code, c])), [cells]);
  const labelOf = (code: string) => {
    const c = byCode.get(code);
    return t('surveillance.shapeLabel', {
      name: names.get(code) ?? code,
      count: c?.confirmed ?? 0,
      device: c?.device ?? 0,
    });
  };

  const series = data?.series;
  const chart = useMemo<{ options: PlotOptions; classes: number } | null>(() => {
    if (!series) return null;
    return seriesChart(
      series,
      (slug) => displayName(slug, entries, lang),
      { confirmed: t('surveillance.confirmed'), device: t('surveillance.device') },
      lang === 'en' ? 'en-CA' : 'fr-CA',
    );
  }, [series, entries, lang, t]);

  const stacked = useStacked(STACK_BELOW.eightColumns);
  const columns: {
    key: string;
    label: string;
    className?: string;
    cell: (r: TableRow) => ReactNode;
  }[] = [
    {
      key: 'week',
      label: t('surveillance.week'),
      cell: (r) => <time dateTime={r.week}>{formatDay(r.week, lang)}</time>,
    },
    {
      key: 'region',
      label: t('lab.region'),
      cell: (r) => (r.regionCode ? `${r.regionCode} – ${regionName(r.regionCode) ?? ''}` : '—'),
    },
    {
      key: 'mrc',
      label: t('surveillance.levels.mrc'),
      cell: (r) => (r.mrcCode ? (mrcNames.get(r.mrcCode) ?? r.mrcCode) : '—'),
    },
    {
      key: 'class',
      label: t('surveillance.class'),
      className: 'name',
      cell: (r) => displayName(r.slug, entries, lang),
    },
    { key: 'kind', label: t('surveillance.kind'), cell: (r) => t(`library.kinds.${r.kind}`) },
    {
      key: 'crop',
      label: t('lab.crop'),
      cell: (r) => (r.crop ? cropName(r.crop, entries, lang) : '—'),
    },
    {
      key: 'confirmed',
      label: t('surveillance.confirmed'),
      className: 'num',
      cell: (r) => r.confirmed,
    },
    { key: 'device', label: t('surveillance.device'), className: 'num', cell: (r) => r.device },
  ];
  const rows = data?.table.rows ?? [];
  const shownRows = rows.slice(0, tableShown);
  const more = Math.min(TABLE_PAGE, rows.length - shownRows.length);
  return (
    <main id="main" className="page wide">
      <p>
        <a href={href({ name: 'lab' })}>{t('lab.backToQueue')}</a>
      </p>
      <h1>{t('surveillance.title')}</h1>
      <p>{t('surveillance.intro')}</p>
      <div className="row wrap lab-filters" role="search" aria-label={t('surveillance.filters')}>
        <div className="field">
          <label htmlFor="s-kind">{t('surveillance.kind')}</label>
          <select
            id="s-kind"
            value={filters.kind}
            onChange={(e) => patch({ kind: e.target.value as LibraryKind | '', slug: '' })}
          >
            <option value="">{t('lab.all')}</option>
            <KindOptions />
          </select>
        </div>
        <div className="field">
          <label htmlFor="s-class">{t('surveillance.class')}</label>
          <select
            id="s-class"
            value={filters.slug}
            onChange={(e) => patch({ slug: e.target.value })}
          >
            <option value="">{t('lab.allFeminine')}</option>
            {classes.map((e) => (
              <option key={e.slug} value={e.slug}>
                {e.name[lang]}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="s-crop">{t('lab.crop')}</label>
          <input
            id="s-crop"
            type="search"
            value={cropInput}
            onChange={(e) => setCropInput(e.target.value)}
          />
        </div>
        <div className="field">
          <label htmlFor="s-region">{t('lab.region')}</label>
          <select
            id="s-region"
            value={filters.regionCode}
            onChange={(e) => patch({ regionCode: e.target.value })}
          >
            <option value="">{t('lab.allFeminine')}</option>
            <RegionOptions />
          </select>
        </div>
        <PeriodFilter
          idPrefix="s"
          value={filters.period}
          onChange={(period) => patch({ period })}
        />
        <fieldset className="field">
          <legend>{t('surveillance.source')}</legend>
          <div className="segmented">
            {SOURCES.map((s) => (
              <label key={s} className={`seg ${filters.source === s ? 'on' : ''}`}>
                <input
                  type="radio"
                  name="s-source"
                  value={s}
                  checked={filters.source === s}
                  onChange={() => patch({ source: s })}
                />
                {t(`surveillance.sources.${s}`)}
              </label>
            ))}
          </div>
        </fieldset>
        <fieldset className="field">
          <legend>{t('surveillance.level')}</legend>
          <div className="segmented">
            {(['region', 'mrc'] as const).map((l) => (
              <label key={l} className={`seg ${filters.level === l ? 'on' : ''}`}>
                <input
                  type="radio"
                  name="s-level"
                  value={l}
                  checked={filters.level === l}
                  onChange={() => patch({ level: l })}
                />
                {t(`surveillance.levels.${l}`)}
              </label>
            ))}
          </div>
        </fieldset>
      </div>

      {!online && data && <p className="notice warn">{t('surveillance.offlineData')}</p>}
      <ErrorAlert message={error} />
      <p role="status" data-testid="surveillance-status">
        {loading ? t('app.loading') : data ? t('surveillance.results', { count: rows.length }) : ''}
      </p>
      {data && !loading && rows.length === 0 && (
        <p className="notice" data-testid="surveillance-empty">
          {t('surveillance.empty')}
        </p>
      )}

      <h2>{t('surveillance.mapTitle')}</h2>
      <ErrorAlert message={geoError} />
      {levelGeo && data && (
        <ChoroplethMap
          geo={levelGeo}
          values={values}
          labelOf={labelOf}
          caption={t(`surveillance.mapCaption.${filters.level}`, {
            source: t(`surveillance.sources.${filters.source}`),
          })}
          legendTitle={t('surveillance.legend')}
          hatchLabel={t('surveillance.hatch')}
          testId="surveillance-map"
        />
      )}

      <h2>{t('surveillance.seriesTitle')}</h2>
      {chart && chart.classes > 0 ? (
        <PlotFigure
          options={chart.options}
          caption={t('surveillance.seriesCaption', { count: chart.classes })}
          description={t('surveillance.seriesDescription')}
          testId="surveillance-series"
        >
          <p className="chart-key">{t('surveillance.seriesKey')}</p>
        </PlotFigure>
      ) : (
        data && <p>{t('surveillance.empty')}</p>
      )}

      <h2>{t('surveillance.tableTitle')}</h2>
      <p>
        <a
          className="btn"
          href={tableCsvUrl(query)}
          download="surveillance.csv"
          data-testid="surveillance-csv"
        >
          {t('surveillance.csv')}
        </a>
      </p>
      {data?.table.truncated && (
        <p className="notice warn">{t('surveillance.truncated', { count: rows.length })}</p>
      )}
      {rows.length > 0 && (
        <div
          className="table-wrap"
          tabIndex={0}
          role="region"
          aria-label={t('surveillance.tableTitle')}
        >
          {/* Eight columns do not fit a phone: there the rows are laid out as blocks (stacked);
              explicit roles keep the table semantics whatever the display. */}
          <table
            className={`top5 data-table${stacked ? ' stacked' : ''}`}
            data-testid="surveillance-table"
            role="table"
          >
            <caption>{t('surveillance.tableCaption')}</caption>
            <thead role="rowgroup">
              <tr role="row">
                {columns.map((c) => (
                  <th key={c.key} scope="col" role="columnheader" className={c.className}>
                    {c.label}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody role="rowgroup">
              {shownRows.map((r) => {
                const key = [r.week, r.regionCode, r.mrcCode, r.slug, r.kind, r.crop]
                  .map((v) => v ?? '')
                  .join('|');
                return (
                  <tr key={key} data-key={key} role="row">
                    {columns.map((c) => (
                      <td
                        key={c.key}
                        role="cell"
                        className={c.className}
                        // The class names the row: it heads the block, without a label.
                        data-label={c.key === 'class' ? undefined : c.label}
                      >
                        {c.cell(r)}
                      </td>
                    ))}
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      {rows.length > TABLE_PAGE && (
        <div className="row wrap table-more">
          <p role="status" data-testid="surveillance-table-shown">
            {t('surveillance.tableShown', { shown: shownRows.length, count: rows.length })}
          </p>
          {more > 0 && (
            <button
              type="button"
              className="btn secondary"
              data-testid="surveillance-table-more"
              onClick={() => setExtended({ search, shown: tableShown + TABLE_PAGE })}
            >
              {t('surveillance.tableMore', { count: more })}
            </button>
          )}
        </div>
      )}
    </main>
  );
}
