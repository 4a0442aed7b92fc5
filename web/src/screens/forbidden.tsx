import { useTranslation } from 'react-i18next';
import { href } from '../state/router';
import { useUser } from '../state/session';

/** Who a restricted screen is for: the message names them, so nobody is told the wrong thing. */
export type Audience = 'staff' | 'admins' | 'contributors';

const MESSAGE = {
  staff: 'lab.forbidden',
  admins: 'lab.forbiddenAdmins',
  contributors: 'lab.forbiddenContributors',
} as const;

/** Shown when a lab route is opened by someone whose role does not allow it. */
export function Forbidden({ audience = 'staff' }: { audience?: Audience }) {
  const { t } = useTranslation();
  const user = useUser();
  return (
    <main id="main" className="page">
      <h1>{t('lab.forbiddenTitle')}</h1>
      <p className="notice warn">
        {user ? (
          t(MESSAGE[audience])
        ) : (
          <a href={href({ name: 'account', mode: 'login' })}>{t('cases.signIn')}</a>
        )}
      </p>
    </main>
  );
}
