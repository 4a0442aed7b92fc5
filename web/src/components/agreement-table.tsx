import { useTranslation } from 'react-i18next';
import type { AgreementStats } from '@phytodiag/api/contract';
import type { Lang } from '../db/types';
import { agreementRate } from '../lab/model-metrics';
import { formatWholePercent } from '../state/format';
import { displayName, useEntryMap, useLang } from '../state/library-hooks';
import { STACK_BELOW, useStacked } from './stacked-table';

/** Rounded: the case count sits in its own column, and decimals over few cases mean nothing. */
function rateCell(agree: number, n: number, lang: Lang): string {
  const r = agreementRate(agree, n);
  return r === null ? '—' : formatWholePercent(r, lang);
}

interface Agree {
  n: number;
  top1Agree: number;
  top3Agree: number;
}

/** A row's three counts; `data-label` names them when a narrow phone stacks the row. */
function Counts({
  agree,
  labels,
  lang,
}: {
  agree: Agree;
  labels: Record<'n' | 'top1' | 'top3', string>;
  lang: Lang;
}) {
  return (
    <>
      <td role="cell" className="num" data-label={labels.n}>
        {agree.n}
      </td>
      <td role="cell" className="num" data-label={labels.top1}>
        {rateCell(agree.top1Agree, agree.n, lang)}
      </td>
      <td role="cell" className="num" data-label={labels.top3}>
        {rateCell(agree.top3Agree, agree.n, lang)}
      </td>
    </>
  );
}

/** AI / specialist agreement per class (lab agreement screen and service indicators). */
export function AgreementTable({ stats }: { stats: AgreementStats }) {
  const { t } = useTranslation();
  const lang = useLang();
  const entries = useEntryMap();
  const labels = { n: t('agreement.n'), top1: t('agreement.top1'), top3: t('agreement.top3') };
  const stacked = useStacked(STACK_BELOW.fourColumns);
  const { n, abstained } = stats.total;
  return (
    <>
      {/* Explicit roles: on a narrow phone the rows are laid out as blocks (stacked), which
          would otherwise drop the table semantics in some browsers. */}
      <table
        className={`top5 data-table agreement-table${stacked ? ' stacked' : ''}`}
        data-testid="agreement"
        role="table"
      >
        <caption>{t('agreement.caption')}</caption>
        <colgroup>
          <col className="name-col" />
          <col span={3} />
        </colgroup>
        <thead role="rowgroup">
          <tr role="row">
            <th scope="col" role="columnheader">
              {t('agreement.class')}
            </th>
            <th scope="col" role="columnheader" className="num">
              {t('agreement.n')}
            </th>
            <th scope="col" role="columnheader" className="num">
              {t('agreement.top1')}
            </th>
            <th scope="col" role="columnheader" className="num">
              {t('agreement.top3')}
            </th>
          </tr>
        </thead>
        <tbody role="rowgroup">
          {stats.classes.map((c) => (
            <tr key={c.slug} role="row">
              <th scope="row" role="rowheader" className="name">
                {displayName(c.slug, entries, lang)}
              </th>
              <Counts lang={lang} agree={c} labels={labels} />
            </tr>
          ))}
        </tbody>
        <tfoot role="rowgroup">
          <tr role="row">
            <th scope="row" role="rowheader" className="name">
              {t('agreement.total')}
            </th>
            <Counts lang={lang} agree={stats.total} labels={labels} />
          </tr>
        </tfoot>
      </table>
      {/* A sentence rather than a fifth column: four columns already fill a phone. */}
      {n > 0 && (
        <p data-testid="agreement-abstained">{t('agreement.abstained', { count: abstained, n })}</p>
      )}
    </>
  );
}
