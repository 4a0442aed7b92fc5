import { useEffect, useState } from 'react';
import type { PasswordResetInfo } from '@phytodiag/api/contract';
import { apiJson } from '../api/http';

/**
 * Whether this server sends e-mail at all (SMTP configured): null until known. Asked when
 * `ask` holds (online, and signed in where it matters); a failed ask leaves it unknown.
 */
export function useMailEnabled(ask: boolean): boolean | null {
  const [mailEnabled, setMailEnabled] = useState<boolean | null>(null);
  useEffect(() => {
    if (!ask) return;
    let live = true;
    void apiJson<PasswordResetInfo>('/api/auth/password-reset')
      .then((info) => live && setMailEnabled(info.mailEnabled))
      .catch(() => undefined);
    return () => {
      live = false;
    };
  }, [ask]);
  return mailEnabled;
}
