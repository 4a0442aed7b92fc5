import { useTranslation } from 'react-i18next';
import type { AlertInfo, Notification } from '@phytodiag/api/contract';
import { weekStartOf } from '../detections/week';
import { formatDay } from '../state/format';
import { cropName, displayName, useEntryMap, useLang } from '../state/library-hooks';
import { readNotification, useNotifications } from '../state/notifications';
import { href } from '../state/router';
import { regionName } from './region-options';

/**
 * Alerts (confirmed detections in a subscribed region) among the notifications. An alert names
 * no case, owner or place finer than the region: it links to the library entry of the pest.
 */
export function AlertList() {
  const { t } = useTranslation();
  const lang = useLang();
  const entries = useEntryMap();
  const { items } = useNotifications();
  const alerts = items.filter(
    (n): n is Notification & { alert: AlertInfo } => n.kind === 'alert' && !!n.alert,
  );
  if (alerts.length === 0) return null;
  const thisWeek = weekStartOf(new Date());
  return (
    <section aria-labelledby="alert-list-h" data-testid="alert-list">
      <h2 id="alert-list-h">{t('alerts.listTitle')}</h2>
      <ul className="case-list">
        {alerts.map((n) => {
          const a = n.alert;
          const vars = {
            name: displayName(a.slug, entries, lang),
            region: regionName(a.regionCode) ?? a.regionCode,
            date: formatDay(a.week, lang, 'long'),
          };
          return (
            <li key={n.id} className="card" data-testid="alert-item">
              <p>
                {!n.readAt && <span className="badge new">{t('alerts.unread')}</span>}{' '}
                <a
                  href={href({ name: 'entry', slug: a.slug })}
                  onClick={() => void readNotification(n.id)}
                >
                  {a.week === thisWeek ? t('alerts.thisWeek', vars) : t('alerts.weekOf', vars)}
                </a>
              </p>
              {/* The server names the library's crop in French; say it in the reader's language. */}
              {a.crop && (
                <p className="meta">
                  {t('alerts.cropOf', { crop: cropName(a.crop, entries, lang) })}
                </p>
              )}
            </li>
          );
        })}
      </ul>
    </section>
  );
}
