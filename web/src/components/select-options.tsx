import { useTranslation } from 'react-i18next';
import { CROPS, KINDS, REGIONS } from './region-options';

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

/** The <option>s of a crop <select>: the classifier's crop ids, named in the UI language. */
export function CropOptions() {
  const { t } = useTranslation();
  return (
    <>
      {CROPS.map((c) => (
        <option key={c} value={c}>
          {t(`crops.${c}`)}
        </option>
      ))}
    </>
  );
}
