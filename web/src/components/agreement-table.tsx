import { useTranslation } from 'react-i18next';
import type { AgreementStats } from '@phytodiag/api/contract';
import { agreementRate } from '../lab/model-metrics';
import { displayName, useEntryMap, useLang } from '../state/library-hooks';

/** Rounded: the case count sits in its own column, and decimals over few cases mean nothing. */
function rateCell(agree: number, n: number): string {
  const r = agreementRate(agree, n);
  return r === null ? '—' : `${Math.round(r * 100)} %`;
}

/** AI / specialist agreement per class (lab agreement screen and service indicators). */
export function AgreementTable({ stats }: { stats: AgreementStats }) {
  const { t } = useTranslation();
  const lang = useLang();
  const entries = useEntryMap();
  return (
    <table className="top5 data-table agreement-table" data-testid="agreement">
      <caption>{t('agreement.caption')}</caption>
      <colgroup>
        <col className="name-col" />
        <col span={3} />
      </colgroup>
      <thead>
        <tr>
          <th scope="col">{t('agreement.class')}</th>
          <th scope="col" className="num">
            {t('agreement.n')}
          </th>
          <th scope="col" className="num">
            {t('agreement.top1')}
          </th>
          <th scope="col" className="num">
            {t('agreement.top3')}
          </th>
        </tr>
      </thead>
      <tbody>
        {stats.classes.map((c) => (
          <tr key={c.slug}>
            <th scope="row" className="name">
              {displayName(c.slug, entries, lang)}
            </th>
            <td className="num">{c.n}</td>
            <td className="num">{rateCell(c.top1Agree, c.n)}</td>
            <td className="num">{rateCell(c.top3Agree, c.n)}</td>
          </tr>
        ))}
      </tbody>
      <tfoot>
        <tr>
          <th scope="row">{t('agreement.total')}</th>
          <td className="num">{stats.total.n}</td>
          <td className="num">{rateCell(stats.total.top1Agree, stats.total.n)}</td>
          <td className="num">{rateCell(stats.total.top3Agree, stats.total.n)}</td>
        </tr>
      </tfoot>
    </table>
  );
}
