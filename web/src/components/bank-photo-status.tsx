import { useTranslation } from 'react-i18next';
import type { BankSubmissionImage } from '@phytodiag/api/contract';

/** Where one bank photo stands, and why when it was refused or taken back out of the bank. */
export function BankPhotoStatus({ img }: { img: BankSubmissionImage }) {
  const { t } = useTranslation();
  const state = img.withdrawnAt !== null ? 'withdrawn' : img.status;
  return (
    <div className="stack">
      <span className={`badge ${img.status === 'rejected' ? 'late' : ''}`}>
        {t(`bank.imageStatus.${state}`)}
      </span>
      {img.rejectReason && (
        <span className="meta">{t('bank.rejectedBecause', { reason: img.rejectReason })}</span>
      )}
    </div>
  );
}
