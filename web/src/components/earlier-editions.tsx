import { useTranslation } from 'react-i18next';
import type { EarlierLibraryEdition } from '@phytodiag/api/contract';

/**
 * « Versions précédentes » of a library entry: what each save in the app replaced, newest first,
 * each one to take back into the editor's form (then saved as the newest).
 */
export function EarlierEditions({
  earlier,
  describe,
  disabled,
  onTakeBack,
}: {
  earlier: readonly EarlierLibraryEdition[];
  /** « Modifiée le … par … », or « Contenu d’origine ». */
  describe: (edit: EarlierLibraryEdition['lastEdit']) => string;
  disabled: boolean;
  onTakeBack: (edition: number, label: string) => void;
}) {
  const { t } = useTranslation();
  if (earlier.length === 0) return null;
  return (
    <details className="card" data-testid="earlier-editions">
      <summary>{t('libraryEdit.earlier', { count: earlier.length })}</summary>
      <p className="hint">{t('libraryEdit.earlierHint')}</p>
      <ul className="check-list">
        {earlier.map((x) => {
          const label = describe(x.lastEdit);
          return (
            <li key={x.edition} className="row wrap">
              <span>{label}</span>
              <button
                type="button"
                className="btn secondary"
                disabled={disabled}
                aria-label={t('libraryEdit.takeBackOf', { version: label })}
                onClick={() => onTakeBack(x.edition, label)}
              >
                {t('libraryEdit.takeBack')}
              </button>
            </li>
          );
        })}
      </ul>
    </details>
  );
}
