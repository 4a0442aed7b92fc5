import type { LibraryImage } from '@phytodiag/api/contract';
import { useTranslation } from 'react-i18next';
import { licenceKey } from '../lab/licences';
import { photoCredits } from '../library/photo-credits';

/** The sources of the reference photos shown above it, folded: the photos come first. */
export function PhotoCredits({ images }: { images: readonly LibraryImage[] }) {
  const { t } = useTranslation();
  const credits = photoCredits(images);
  // A contributor's licence by its name (« CC BY 4.0 »), not its SPDX id; the catalog's own text as is.
  const licenceName = (licence: string) => {
    const key = licenceKey(licence);
    return key ? t(`bank.licences.${key}`) : licence;
  };
  if (credits.length === 0) return null;
  return (
    <details className="card photo-credits" data-testid="photo-credits">
      <summary>{t('library.credits.title')}</summary>
      <ul className="bullets">
        {credits.map((c) => (
          <li key={`${c.credit}|${c.licence ?? ''}`}>
            {c.licence === null
              ? t('library.credits.producer')
              : t('library.credits.source', {
                  credit: c.credit,
                  licence: licenceName(c.licence),
                })}{' '}
            ({t('library.credits.photos', { count: c.photos })})
          </li>
        ))}
      </ul>
    </details>
  );
}
