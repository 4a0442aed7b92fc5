import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { db } from '../db/db';
import { deleteDiagnosis } from '../db/diagnosis-history';
import { flash } from '../state/flash';
import { navigate } from '../state/router';

/**
 * « Supprimer de l'appareil », in two steps: one mistaken tap with a gloved finger must not lose
 * a diagnosis, and the second button takes the first one's place (and the focus) so the question
 * is read where the finger already is.
 */
export function DeleteDiagnosis({ id }: { id: string }) {
  const { t } = useTranslation();
  const [asking, setAsking] = useState(false);
  const confirm = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (asking) confirm.current?.focus();
  }, [asking]);

  async function remove() {
    await deleteDiagnosis(db, id);
    flash('result.deleted');
    navigate({ name: 'home' });
  }

  if (!asking) {
    return (
      <p>
        <button type="button" className="btn" onClick={() => setAsking(true)}>
          {t('result.delete')}
        </button>
      </p>
    );
  }
  return (
    <div className="card stack" role="group" aria-labelledby="delete-diagnosis-q">
      <p id="delete-diagnosis-q">{t('result.deleteQuestion')}</p>
      <div className="row wrap">
        <button
          ref={confirm}
          type="button"
          className="btn primary"
          data-testid="confirm-delete-diagnosis"
          onClick={() => void remove()}
        >
          {t('result.deleteConfirm')}
        </button>
        <button type="button" className="btn" onClick={() => setAsking(false)}>
          {t('result.deleteCancel')}
        </button>
      </div>
    </div>
  );
}
