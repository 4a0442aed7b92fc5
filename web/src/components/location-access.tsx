import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { LocationAccessList } from '@phytodiag/api/contract';
import { errorText } from '../api/error-text';
import { fetchLocationAccess } from '../privacy/privacy-api';
import { formatDateTime } from '../state/format';
import { useLang } from '../state/library-hooks';
import { ErrorAlert } from './error-alert';

/** For the case owner: every staff view of the case's exact location (server access log). */
export function LocationAccess({ escalationId }: { escalationId: string }) {
  const { t } = useTranslation();
  const lang = useLang();
  const [list, setList] = useState<LocationAccessList | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    fetchLocationAccess(escalationId)
      .then((l) => live && setList(l))
      .catch((err: unknown) => live && setError(errorText(err, t)));
    return () => {
      live = false;
    };
  }, [escalationId, t]);
  return (
    <section className="card" aria-labelledby="loc-access-h" data-testid="location-access">
      <h2 id="loc-access-h">{t('privacy.accessTitle')}</h2>
      <ErrorAlert message={error} />
      {list && list.items.length === 0 && <p>{t('privacy.accessNone')}</p>}
      {list && list.items.length > 0 && (
        <ul>
          {list.items.map((v, i) => (
            <li key={`${v.viewer.id}-${v.at}-${i}`}>
              {t('privacy.accessItem', {
                name: v.viewer.name ?? t('privacy.accessUnknown'),
                role: t(`privacy.roles.${v.role}`, { defaultValue: v.role }),
                date: formatDateTime(v.at, lang),
              })}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
