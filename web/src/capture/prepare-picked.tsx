import { useTranslation } from 'react-i18next';
import {
  PHOTO_MIN_SIDE,
  TooSmallPickedPhotoError,
  UnreadablePickedPhotoError,
} from './prepare-photo';

/** What a pick came to: the photos kept, and the files refused (named, with why). */
export interface PickedPhotos<T> {
  kept: T[];
  /** Files the browser could not read. */
  unreadable: string[];
  /** Photos too small to show anything, with their size. */
  tooSmall: string[];
}

/**
 * Prepares picked files one at a time, until `room` are kept: a refused file does not take the
 * place of a good one behind it, and fifty gallery photos are not all decoded at once. `prepare`
 * is preparePhoto, or more (the EXIF read beside it); `labelOf(i)` names a file that has no name.
 */
export async function preparePicked<T>(
  files: Blob[],
  room: number,
  prepare: (file: Blob) => Promise<T>,
  labelOf: (index: number) => string,
): Promise<PickedPhotos<T>> {
  const out: PickedPhotos<T> = { kept: [], unreadable: [], tooSmall: [] };
  for (const [i, file] of files.entries()) {
    if (out.kept.length >= room) break;
    try {
      out.kept.push(await prepare(file));
    } catch (err) {
      if (err instanceof TooSmallPickedPhotoError) {
        out.tooSmall.push(`${err.fileName ?? labelOf(i)} (${err.width} × ${err.height} px)`);
      } else if (err instanceof UnreadablePickedPhotoError) {
        out.unreadable.push(err.fileName ?? labelOf(i));
      } else throw err;
    }
  }
  return out;
}

/** The files a pick refused, named, with what to do: until the next pick. */
export function PickedRefusals({
  unreadable,
  tooSmall,
}: Pick<PickedPhotos<unknown>, 'unreadable' | 'tooSmall'>) {
  const { t } = useTranslation();
  return (
    <>
      {unreadable.length > 0 && (
        <p className="notice error" role="alert" data-testid="photo-unreadable">
          {t('capture.unreadableNamed', { count: unreadable.length, names: unreadable.join(', ') })}
        </p>
      )}
      {tooSmall.length > 0 && (
        <p className="notice error" role="alert" data-testid="photo-too-small">
          {t('capture.tooSmallNamed', {
            count: tooSmall.length,
            names: tooSmall.join(', '),
            min: PHOTO_MIN_SIDE,
          })}
        </p>
      )}
    </>
  );
}
