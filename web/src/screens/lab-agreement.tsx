import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { AgreementStats } from '@phytodiag/api/contract';
import { errorText } from '../api/error-text';
import { AgreementTable } from '../components/agreement-table';
import { ErrorAlert } from '../components/error-alert';
import { fetchAgreement } from '../lab/lab-api';
import { canTriage } from '../lab/roles';
import { useOnline } from '../state/online';
import { href } from '../state/router';
import { useUser } from '../state/session';
import { Forbidden } from './forbidden';

export function LabAgreement() {
  const user = useUser();
  if (!canTriage(user)) return <Forbidden />;
  return <Agreement />;
}

function Agreement() {
  const { t } = useTranslation();
  const online = useOnline();
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
      {stats && stats.total.n > 0 && <AgreementTable stats={stats} />}
    </main>
  );
}
