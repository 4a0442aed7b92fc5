import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { AlertSubscription } from '@phytodiag/api/contract';
import { errorText } from '../api/error-text';
import { ActionNotice } from '../components/action-notice';
import { ErrorAlert } from '../components/error-alert';
import { regionName } from '../components/region-options';
import { CropDatalist, RegionOptions } from '../components/select-options';
import { createSubscription, deleteSubscription, fetchSubscriptions } from '../privacy/privacy-api';
import { useOnline } from '../state/online';
import { useUser } from '../state/session';

/** Alert subscriptions by region (and optionally crop), managed on the server. */
export function AlertsSection({ defaultRegion }: { defaultRegion: string | null }) {
  const { t } = useTranslation();
  const user = useUser();
  const online = useOnline();
  const [subs, setSubs] = useState<AlertSubscription[] | null>(null);
  const [region, setRegion] = useState(defaultRegion ?? '16');
  const [crop, setCrop] = useState('');
  const [email, setEmail] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  // What the last subscribe or unsubscribe did, said once it is done.
  const [done, setDone] = useState<string | null>(null);
  // Null until known; false on a server that sends no e-mail (no box to tick for nothing).
  const [mailEnabled, setMailEnabled] = useState<boolean | null>(null);

  const userId = user?.id;
  useEffect(() => {
    if (!userId || !online) return;
    fetchSubscriptions()
      .then((l) => {
        setSubs(l.items);
        setMailEnabled(l.mailEnabled);
      })
      .catch((err: unknown) => setError(errorText(err, t)));
  }, [userId, online, t]);

  if (!user) return null;

  async function add(e: React.FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    setDone(null);
    try {
      const created = await createSubscription({
        regionCode: region,
        ...(crop.trim() ? { crop: crop.trim() } : {}),
        email,
      });
      setSubs((s) => [...(s ?? []).filter((x) => x.id !== created.id), created]);
      setCrop('');
      setDone(t('alerts.added', { what: describe(created) }));
    } catch (err) {
      setError(errorText(err, t));
    } finally {
      setBusy(false);
    }
  }

  async function remove(s: AlertSubscription) {
    setError(null);
    setDone(null);
    try {
      await deleteSubscription(s.id);
      setSubs((list) => (list ?? []).filter((x) => x.id !== s.id));
      setDone(t('alerts.removed', { what: describe(s) }));
    } catch (err) {
      setError(errorText(err, t));
    }
  }

  const describe = (s: AlertSubscription) =>
    [regionName(s.regionCode) ?? s.regionCode, s.crop ?? t('alerts.allCrops')].join(' · ');

  return (
    <section className="card stack" aria-labelledby="alerts-h" data-testid="alert-subscriptions">
      <h2 id="alerts-h">{t('alerts.title')}</h2>
      <p className="hint">{t('alerts.intro')}</p>
      {subs && subs.length === 0 && <p>{t('alerts.none')}</p>}
      {subs && subs.length > 0 && (
        <ul className="stack" aria-labelledby="alerts-h">
          {subs.map((s) => (
            <li key={s.id} className="row wrap">
              <span>
                {describe(s)}
                {s.email ? ` · ${t('alerts.byEmail')}` : ''}
              </span>
              <button
                type="button"
                className="btn small"
                aria-label={t('alerts.removeLabel', { what: describe(s) })}
                onClick={() => void remove(s)}
              >
                {t('alerts.remove')}
              </button>
            </li>
          ))}
        </ul>
      )}
      <form className="stack" onSubmit={(e) => void add(e)}>
        <div className="field">
          <label htmlFor="alert-region">{t('alerts.region')}</label>
          <select id="alert-region" value={region} onChange={(e) => setRegion(e.target.value)}>
            <RegionOptions />
          </select>
        </div>
        <div className="field">
          <label htmlFor="alert-crop">{t('alerts.crop')}</label>
          <input
            id="alert-crop"
            list="alert-crops"
            value={crop}
            maxLength={100}
            autoComplete="off"
            aria-describedby="alert-crop-hint"
            onChange={(e) => setCrop(e.target.value)}
          />
          <CropDatalist id="alert-crops" />
          <p id="alert-crop-hint" className="hint">
            {t('alerts.cropHint')}
          </p>
        </div>
        {mailEnabled === false ? (
          <p className="hint" data-testid="alerts-no-mail">
            {t('alerts.noMail')}
          </p>
        ) : (
          <div className="check">
            <input
              id="alert-email"
              type="checkbox"
              checked={email}
              onChange={(e) => setEmail(e.target.checked)}
            />
            <label htmlFor="alert-email">{t('alerts.email')}</label>
          </div>
        )}
        <ErrorAlert message={error} />
        {done && <ActionNotice key={done}>{done}</ActionNotice>}
        <button type="submit" className="btn" disabled={busy || !online}>
          {t('alerts.add')}
        </button>
      </form>
    </section>
  );
}
