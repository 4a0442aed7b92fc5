import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { AgreementStats } from '@phytodiag/api/contract';
import { errorText } from '../api/error-text';
import { ErrorAlert } from '../components/error-alert';
import { fetchAgreement } from '../lab/lab-api';
import { agreementRate } from '../lab/model-metrics';
import { canTriage } from '../lab/roles';
import { displayName, useEntryMap, useLang } from '../state/library-hooks';
import { useOnline } from '../state/online';
import { href } from '../state/router';
import { useUser } from '../state/session';
import { Forbidden } from './forbidden';

export function LabAgreement() {
  const user = useUser();
  if (!canTriage(user)) return <Forbidden />;
  return <Agreement />;
}

/** Rounded: the case count sits in its own column, and decimals over few cases mean nothing. */
function rateCell(agree: number, n: number): string {
  const r = agreementRate(agree, n);
  return r === null ? '—' : `${Math.round(r * 100)} %`;
}

function Agreement() {
  const { t } = useTranslation();
  const lang = useLang();
  const online = useOnline();
  const entries = useEntryMap();
  const [stats, setStats] = useState<AgreementStats | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    fetchAgreement()
      .then((s) => {
        if (!live) return;
        setStats(s);
        setError(null);
      })
      .catch((err: unknown) => live && setError(errorText(err, t)));
    return () => {
      live = false;
    };
  }, [online, t]);

  return (
    <main id="main" className="page">
      <p>
        <a href={href({ name: 'lab' })}>{t('lab.backToQueue')}</a>
      </p>
      <h1>{t('agreement.title')}</h1>
      <p>{t('agreement.intro')}</p>
      <ErrorAlert message={error} />
      {!stats && !error && <p>{t('app.loading')}</p>}
      {stats && stats.total.n === 0 && <p role="status">{t('agreement.empty')}</p>}
      {stats && stats.total.n > 0 && (
        <table className="top5" data-testid="agreement">
          <caption>{t('agreement.caption')}</caption>
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
                <th scope="row">{displayName(c.slug, entries, lang)}</th>
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
      )}
    </main>
  );
}
