import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorText } from '../api/error-text';
import { ActionNotice } from '../components/action-notice';
import { ErrorAlert } from '../components/error-alert';
import { forgetDeletedAccount } from '../privacy/local-data';
import { deleteAccount, fetchExport, saveBlob } from '../privacy/privacy-api';
import { useOnline } from '../state/online';
import { useUser } from '../state/session';

/** Law 25 rights on the device: a copy of everything, and deletion of the account. */
export function MyDataSection() {
  const { t } = useTranslation();
  const user = useUser();
  const online = useOnline();
  const [saved, setSaved] = useState<string | null>(null);
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [deleted, setDeleted] = useState(false);
  const [busy, setBusy] = useState(false);

  // The form and its button are gone: the notice takes the focus and says it.
  if (deleted) return <ActionNotice testId="account-deleted">{t('privacy.deleted')}</ActionNotice>;
  if (!user) return null;
  const userId = user.id;

  async function download() {
    setError(null);
    setSaved(null);
    try {
      const { blob, fileName } = await fetchExport();
      saveBlob(blob, fileName);
      setSaved(fileName);
    } catch (err) {
      setError(errorText(err, t));
    }
  }

  async function remove(e: React.FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await deleteAccount(password);
      setPassword('');
      setDeleted(true);
      await forgetDeletedAccount(userId);
    } catch (err) {
      setError(errorText(err, t));
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className="card stack" aria-labelledby="mydata-h" data-testid="my-data">
      <h2 id="mydata-h">{t('privacy.myData')}</h2>
      <p className="hint" id="export-hint">
        {t('privacy.exportHint')}
      </p>
      <button
        type="button"
        className="btn"
        disabled={!online}
        aria-describedby="export-hint"
        onClick={() => void download()}
      >
        {t('privacy.export')}
      </button>
      {saved && <ActionNotice key={saved}>{t('privacy.exportDone', { name: saved })}</ActionNotice>}
      <form className="stack" onSubmit={(e) => void remove(e)}>
        <h3 id="delete-h">{t('privacy.deleteTitle')}</h3>
        <p id="delete-consequences">
          {t('privacy.deleteConsequences')}
          {/* Lab staff and agronomists: their work for others stays, anonymised (docs/privacy.md). */}
          {user.role !== 'producer' && ` ${t('privacy.deleteConsequencesStaff')}`}
        </p>
        <div className="field">
          <label htmlFor="delete-password">{t('privacy.deletePassword')}</label>
          <input
            id="delete-password"
            type="password"
            required
            autoComplete="current-password"
            aria-describedby="delete-consequences"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
          />
        </div>
        <ErrorAlert message={error} />
        <button type="submit" className="btn" disabled={busy || !online || password.length === 0}>
          {t('privacy.deleteConfirm')}
        </button>
      </form>
    </section>
  );
}
