import { useTranslation } from 'react-i18next';
import { db } from '../db/db';
import { deleteDiagnosis } from '../db/diagnosis-history';
import { flash } from '../state/flash';
import { navigate } from '../state/router';
import { TwoStepButton } from './two-step-button';

/** « Supprimer de l'appareil » on a result, then back home with a word that it is done. */
export function DeleteDiagnosis({ id }: { id: string }) {
  const { t } = useTranslation();
  async function remove() {
    await deleteDiagnosis(db, id);
    flash('result.deleted');
    navigate({ name: 'home' });
  }
  return (
    <TwoStepButton
      label={t('result.delete')}
      question={t('result.deleteQuestion')}
      confirmLabel={t('result.deleteConfirm')}
      cancelLabel={t('result.deleteCancel')}
      onConfirm={() => void remove()}
      testId="confirm-delete-diagnosis"
    />
  );
}
