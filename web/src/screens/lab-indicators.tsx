import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ServiceIndicators } from '@phytodiag/api/contract';
import { AgreementTable } from '../components/agreement-table';
import { ErrorAlert } from '../components/error-alert';
import { initialPeriod, PeriodFilter, type Period } from '../components/period-filter';
import { PlotFigure } from '../components/plot-figure';
import { canSeeIndicators } from '../lab/roles';
import type { Lang } from '../db/types';
import { formatDay, formatList, formatWholePercent } from '../state/format';
import { useLang } from '../state/library-hooks';
import { useOnline } from '../state/online';
import { href } from '../state/router';
import { useUser } from '../state/session';
import { useFetched } from '../state/use-fetched';
import { channelsChart, firstAnswerChart, satisfactionChart } from '../surveillance/charts';
import { fetchIndicators, indicatorsCsvUrl } from '../surveillance/surveillance-api';
import { Forbidden } from './forbidden';

export function LabIndicators() {
  const user = useUser();
  if (!canSeeIndicators(user)) return <Forbidden audience="admins" />;
  return <Indicators />;
}

const decimal = (x: number, lang: string) =>
  x.toLocaleString(lang === 'en' ? 'en-CA' : 'fr-CA', { maximumFractionDigits: 1 });
const hours = (h: number | null, lang: string) => (h === null ? '—' : `${decimal(h, lang)} h`);
const share = (x: number | null, lang: Lang) => (x === null ? '—' : formatWholePercent(x, lang));

function Indicators() {
  const { t } = useTranslation();
  const lang = useLang();
  const online = useOnline();
  const [period, setPeriod] = useState<Period>(() => initialPeriod('last12'));
  const {
    data: ind,
    error,
    loading,
  } = useFetched<ServiceIndicators>(`${period.from}|${period.to}|${online}`, () =>
    fetchIndicators({ from: period.from, to: period.to }),
  );

  const charts = useMemo(() => {
    if (!ind) return null;
    const locale = lang === 'en' ? 'en-CA' : 'fr-CA';
    return {
      channels: channelsChart(
        ind.weeks,
        {
          onDevice: t('indicators.onDevice'),
          escalated: t('indicators.escalated'),
          y: t('indicators.perWeek'),
        },
        locale,
      ),
      firstAnswer: firstAnswerChart(
        ind.firstAnswer,
        ind.commitmentBusinessDays,
        {
          median: t('indicators.medianShort'),
          p90: t('indicators.p90Short'),
          x: t('indicators.days'),
          commitment: t('indicators.commitment', { count: ind.commitmentBusinessDays }),
        },
        locale,
      ),
      satisfaction: satisfactionChart(
        ind.satisfaction.distribution,
        { x: t('indicators.score'), y: t('indicators.ratings') },
        locale,
      ),
    };
  }, [ind, t, lang]);

  const totalOnDevice = ind?.weeks.reduce((s, w) => s + w.onDevice, 0) ?? 0;
  const totalEscalated = ind?.weeks.reduce((s, w) => s + w.escalated, 0) ?? 0;
  return (
    <main id="main" className="page">
      <p>
        <a href={href({ name: 'lab' })}>{t('lab.backToQueue')}</a>
      </p>
      <h1>{t('indicators.title')}</h1>
      <p>{t('indicators.intro')}</p>
      <div className="row wrap lab-filters">
        <PeriodFilter idPrefix="i" value={period} onChange={setPeriod} />
      </div>
      <ErrorAlert message={error} />
      {loading && <p role="status">{t('app.loading')}</p>}
      {ind && charts && (
        <>
          <h2>{t('indicators.keyFigures')}</h2>
          <ul className="key-figures" data-testid="key-figures">
            <li>
              <strong>{totalEscalated}</strong>
              {t('indicators.escalatedTotal', { count: totalEscalated })}
            </li>
            <li>
              <strong>{totalOnDevice}</strong>
              {t('indicators.onDeviceTotal', { count: totalOnDevice })}
            </li>
            <li>
              <strong>{ind.firstAnswer.answered}</strong>
              {t('indicators.answered', { count: ind.firstAnswer.answered })}
            </li>
            <li>
              <strong>{hours(ind.firstAnswer.medianHours, lang)}</strong>
              {t('indicators.median')}
            </li>
            <li>
              <strong>{hours(ind.firstAnswer.p90Hours, lang)}</strong>
              {t('indicators.p90')}
            </li>
            <li data-testid="within-commitment">
              <strong>{share(ind.firstAnswer.withinCommitment, lang)}</strong>
              {t('indicators.within', {
                count: ind.commitmentBusinessDays,
                judged: ind.firstAnswer.judged,
              })}
            </li>
            <li data-testid="backlog">
              <strong>{ind.backlog.open}</strong>
              {t('indicators.backlogOpen', {
                count: ind.backlog.open,
                overdue: ind.backlog.overdue,
              })}
            </li>
            <li>
              <strong>
                {ind.satisfaction.mean === null
                  ? '—'
                  : `${decimal(ind.satisfaction.mean, lang)} / 5`}
              </strong>
              {t('indicators.satisfactionMean', { count: ind.satisfaction.n })}
            </li>
            <li data-testid="samples">
              <strong>
                {ind.samples.received} / {ind.samples.requested}
              </strong>
              {t('indicators.samples')}
            </li>
          </ul>
          {ind.upcomingClosures.length > 0 && (
            <p className="meta" data-testid="upcoming-closures">
              {t('indicators.closures', {
                dates: formatList(
                  ind.upcomingClosures.map((d) => formatDay(d, lang, 'long')),
                  lang,
                ),
              })}
            </p>
          )}

          {/* A download: offline it could only fail in the browser's own downloads bar. */}
          {online && (
            <>
              <p>
                <a
                  className="btn"
                  href={indicatorsCsvUrl({ from: period.from, to: period.to })}
                  download={`indicateurs-${period.from}-${period.to}.csv`}
                  aria-describedby="indicators-csv-hint"
                  data-testid="indicators-csv"
                >
                  {t('indicators.csv')}
                </a>
              </p>
              <p id="indicators-csv-hint" className="meta">
                {t('indicators.csvHint')}
              </p>
            </>
          )}

          <h2>{t('indicators.channelsTitle')}</h2>
          <PlotFigure
            options={charts.channels}
            caption={t('indicators.channelsCaption')}
            description={t('indicators.channelsDescription')}
            testId="chart-channels"
          >
            <p className="chart-key">{t('indicators.channelsKey')}</p>
          </PlotFigure>
          <details>
            <summary>{t('indicators.channelsTable')}</summary>
            <div className="table-wrap">
              <table className="top5" data-testid="channels-table">
                <thead>
                  <tr>
                    <th scope="col">{t('surveillance.week')}</th>
                    <th scope="col" className="num">
                      {t('indicators.escalated')}
                    </th>
                    <th scope="col" className="num">
                      {t('indicators.onDevice')}
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {ind.weeks.map((w) => (
                    <tr key={w.week}>
                      <td>{w.week}</td>
                      <td className="num">{w.escalated}</td>
                      <td className="num">{w.onDevice}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </details>

          <h2>{t('indicators.firstAnswerTitle')}</h2>
          {charts.firstAnswer ? (
            <PlotFigure
              options={charts.firstAnswer}
              caption={t('indicators.firstAnswerCaption')}
              description={t('indicators.firstAnswerDescription', {
                count: ind.commitmentBusinessDays,
              })}
              testId="chart-first-answer"
            />
          ) : (
            <p>{t('indicators.noAnswer')}</p>
          )}

          <h2>{t('indicators.satisfactionTitle')}</h2>
          {ind.satisfaction.n > 0 ? (
            <PlotFigure
              options={charts.satisfaction}
              caption={t('indicators.satisfactionCaption')}
              description={t('indicators.satisfactionDescription', {
                counts: ind.satisfaction.distribution.join(', '),
              })}
              testId="chart-satisfaction"
            />
          ) : (
            <p>{t('indicators.noRating')}</p>
          )}

          <h2>{t('agreement.title')}</h2>
          {ind.agreement.total.n > 0 ? (
            <AgreementTable stats={ind.agreement} />
          ) : (
            <p>{t('agreement.empty')}</p>
          )}
        </>
      )}
    </main>
  );
}
