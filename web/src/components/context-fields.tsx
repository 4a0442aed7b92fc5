import { OTHER_CROP } from '@phytodiag/model/classifier-core';
import { useTranslation } from 'react-i18next';
import { useShown } from '../state/settings-hooks';
import { CropOptions, RegionOptions } from './select-options';

interface Props {
  crop: string | null;
  regionCode: string | null;
  priorsEnabled: boolean;
  onChange: (patch: {
    crop?: string | null;
    regionCode?: string | null;
    priorsEnabled?: boolean;
  }) => void;
  idPrefix: string;
}

type Fields = Pick<Props, 'crop' | 'regionCode' | 'priorsEnabled'>;

export function ContextFields({ idPrefix, onChange, ...saved }: Props) {
  const { t } = useTranslation();
  const [shown, setShown] = useShown<Fields>(
    saved,
    (a, b) =>
      a.crop === b.crop && a.regionCode === b.regionCode && a.priorsEnabled === b.priorsEnabled,
  );
  const { crop, regionCode, priorsEnabled } = shown;
  const change = (patch: Partial<Fields>) => {
    setShown({ ...shown, ...patch });
    onChange(patch);
  };
  return (
    <div className="stack">
      <div className="field">
        <label htmlFor={`${idPrefix}-crop`}>{t('capture.crop')}</label>
        <select
          id={`${idPrefix}-crop`}
          value={crop ?? ''}
          onChange={(e) => change({ crop: e.target.value || null })}
        >
          <option value="">{t('capture.anyCrop')}</option>
          <CropOptions keep={crop === OTHER_CROP ? null : crop} />
          {/* A crop the bank does not cover: the model then names no crop-specific problem. */}
          <option value={OTHER_CROP}>{t('capture.otherCrop')}</option>
        </select>
      </div>
      <div className="field">
        <label htmlFor={`${idPrefix}-region`}>{t('capture.region')}</label>
        <select
          id={`${idPrefix}-region`}
          value={regionCode ?? ''}
          onChange={(e) => change({ regionCode: e.target.value || null })}
          aria-describedby={`${idPrefix}-region-hint`}
        >
          <option value="">{t('capture.anyRegion')}</option>
          <RegionOptions />
        </select>
        <p id={`${idPrefix}-region-hint`} className="hint">
          {t('capture.regionHint')}
        </p>
      </div>
      <div className="check">
        <input
          id={`${idPrefix}-priors`}
          type="checkbox"
          checked={priorsEnabled}
          onChange={(e) => change({ priorsEnabled: e.target.checked })}
        />
        <label htmlFor={`${idPrefix}-priors`}>{t('capture.priors')}</label>
      </div>
    </div>
  );
}
