import { useTranslation } from 'react-i18next';
import { useCrops } from '../state/library-hooks';
import { KINDS, REGIONS } from './region-options';

/** The <option>s of a region <select>: "16 – Montérégie". */
export function RegionOptions() {
  return (
    <>
      {REGIONS.map(([code, name]) => (
        <option key={code} value={code}>
          {code} – {name}
        </option>
      ))}
    </>
  );
}

/** The <option>s of a library-kind <select>, in the UI language. */
export function KindOptions() {
  const { t } = useTranslation();
  return (
    <>
      {KINDS.map((k) => (
        <option key={k} value={k}>
          {t(`library.kinds.${k}`)}
        </option>
      ))}
    </>
  );
}

/**
 * The <option>s of a crop <select>: the crops of the image bank (from the library), named in the
 * UI language. `keep`: a crop id already chosen that the library does not list (not synced yet,
 * or gone from the bank), kept as an option so the <select> still shows it.
 */
export function CropOptions({ keep }: { keep?: string | null }) {
  const crops = useCrops();
  return (
    <>
      {crops.map((c) => (
        <option key={c.id} value={c.id}>
          {c.name}
        </option>
      ))}
      {keep && !crops.some((c) => c.id === keep) && <option value={keep}>{keep}</option>}
    </>
  );
}

/** Suggestions for a free-text crop field: the bank's crops, named in the UI language. */
export function CropDatalist({ id }: { id: string }) {
  const crops = useCrops();
  return (
    <datalist id={id}>
      {crops.map((c) => (
        <option key={c.id} value={c.name} />
      ))}
    </datalist>
  );
}
