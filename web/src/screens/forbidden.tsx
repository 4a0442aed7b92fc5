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

/**
 * Shown when a lab route is opened by someone whose role does not allow it: who it is for, a
 * way to sign in when signed out, and the public view where one exists (surveillance).
 */
export function Forbidden({
  audience = 'staff',
  publicView = false,
}: {
  audience?: Audience;
  publicView?: boolean;
}) {
  const { t } = useTranslation();
  const user = useUser();
  return (
    <main id="main" className="page">
      <h1>{t('lab.forbiddenTitle')}</h1>
      <p className="notice warn">{t(MESSAGE[audience])}</p>
      {!user && (
        <p>
          <a href={href({ name: 'account', mode: 'login' })}>{t('cases.signIn')}</a>
        </p>
      )}
      {publicView && (
        <p>
          <a href={href({ name: 'public' })}>{t('publicView.link')}</a>
        </p>
      )}
    </main>
  );
}
