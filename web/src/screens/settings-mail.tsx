import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useMailEnabled } from '../state/mail-enabled';
import { useOnline } from '../state/online';
import { followOnAccount, pendingAccountChoice, useUser } from '../state/session';

/**
 * Whether the lab's responses to the person's requests are also e-mailed (an account setting,
 * on by default). Made offline, the choice is kept and reaches the account when the network
 * returns (followOnAccount). Hidden on a server that sends no e-mail: no box to tick for nothing.
 */
export function CaseMailSection() {
  const { t } = useTranslation();
  const user = useUser();
  const online = useOnline();
  const mailEnabled = useMailEnabled(user !== null && online);
  // The click shows at once; the account's value follows.
  const [clicked, setClicked] = useState<boolean | null>(null);

  if (!user || mailEnabled === false) return null;
  const pending = pendingAccountChoice()?.mailCaseUpdates;
  // A user cached on the device before this setting existed has none: the account's default.
  const stored: boolean | undefined = user.mailCaseUpdates;
  const on = clicked ?? pending ?? stored ?? true;

  async function change(next: boolean) {
    setClicked(next);
    await followOnAccount({ mailCaseUpdates: next });
    setClicked(null);
  }

  return (
    <section className="card stack" aria-labelledby="case-mail-h" data-testid="case-mail">
      <h2 id="case-mail-h">{t('caseMail.title')}</h2>
      <div>
        <div className="check">
          <input
            id="case-mail"
            type="checkbox"
            checked={on}
            aria-describedby="case-mail-hint"
            onChange={(e) => void change(e.target.checked)}
          />
          <label htmlFor="case-mail">{t('caseMail.label')}</label>
        </div>
        <p id="case-mail-hint" className="hint">
          {t('caseMail.hint', { email: user.email })}
        </p>
        {pending !== undefined && (
          <p className="meta" role="status">
            {t('privacy.savedOffline')}
          </p>
        )}
      </div>
    </section>
  );
}
