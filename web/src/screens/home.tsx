import { useLiveQuery } from 'dexie-react-hooks';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { DiagnosisLinks } from '../components/diagnosis-links';
import { ModelStatus } from '../components/model-status';
import { RegionalWatch } from '../components/regional-watch';
import { useWaitingUploads } from '../bank/use-waiting-uploads';
import { db } from '../db/db';
import { pendingCount } from '../outbox/outbox-repo';
import { useEntryMap, useLang } from '../state/library-hooks';
import { clearFlash, peekFlash } from '../state/flash';
import { href } from '../state/router';
import { useUser } from '../state/session';
import { canSubmitToBank } from '../lab/roles';

export function Home() {
  const { t } = useTranslation();
  const lang = useLang();
  const entries = useEntryMap();
  const recent = useLiveQuery(
    () => db.diagnoses.orderBy('createdAt').reverse().limit(5).toArray(),
    [],
  );
  const total = useLiveQuery(() => db.diagnoses.count(), []) ?? 0;
  const pending = useLiveQuery(() => pendingCount(db), []) ?? 0;
  // « Diagnostic supprimé » after a deletion from the result screen.
  const [done] = useState(peekFlash);
  useEffect(clearFlash, []);
  return (
    <main id="main" className="page">
      <h1>{t('home.title')}</h1>
      {done && (
        <p className="notice" role="status" data-testid="home-flash">
          {t(done.i18nKey)}
        </p>
      )}
      <div className="hero-actions">
        <a className="btn hero primary" href={href({ name: 'diagnose' })}>
          <span className="choice-title">{t('home.diagnose')}</span>
          <span className="choice-hint">{t('home.diagnoseHint')}</span>
        </a>
        <a className="btn hero secondary" href={href({ name: 'escalate', diagnosisId: null })}>
          <span className="choice-title">{t('home.ask')}</span>
          <span className="choice-hint">{t('home.askHint')}</span>
        </a>
      </div>
      {pending > 0 && (
        <p className="notice">
          <a href={href({ name: 'cases' })}>{t('home.pending', { count: pending })}</a>
        </p>
      )}
      <RoleLostUploads />
      <ModelStatus />
      <RegionalWatch entries={entries} lang={lang} />
      <p>
        <a href={href({ name: 'public' })}>{t('publicView.link')}</a>
      </p>
      <h2>{t('home.recent')}</h2>
      {recent && recent.length === 0 && <p>{t('home.none')}</p>}
      <DiagnosisLinks rows={recent ?? []} />
      {total > 0 && (
        <p>
          <a href={href({ name: 'diagnoses' })}>{t('history.link', { count: total })}</a>
        </p>
      )}
    </main>
  );
}

/** Photos queued for the bank by an account that lost its contributor role since: say so. */
function RoleLostUploads() {
  const { t } = useTranslation();
  const user = useUser();
  const userId = user && !canSubmitToBank(user) ? user.id : null;
  const waiting = useWaitingUploads(userId);
  if (!waiting) return null;
  return (
    <p className="notice warn" data-testid="role-lost-uploads">
      <a href={href({ name: 'bankMine' })}>{t('home.roleLostUploads', { count: waiting })}</a>
    </p>
  );
}
