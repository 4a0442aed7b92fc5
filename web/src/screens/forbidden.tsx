import { useTranslation } from 'react-i18next';
import { href } from '../state/router';
import { useUser } from '../state/session';

/** Shown when a lab route is opened by someone whose role does not allow it. */
export function Forbidden() {
  const { t } = useTranslation();
  const user = useUser();
  return (
    <main id="main" className="page">
      <h1>{t('lab.forbiddenTitle')}</h1>
      <p className="notice warn">
        {user ? (
          t('lab.forbidden')
        ) : (
          <a href={href({ name: 'account', mode: 'login' })}>{t('cases.signIn')}</a>
        )}
      </p>
    </main>
  );
}
