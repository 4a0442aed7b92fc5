import { OTHER_CROP } from '@phytodiag/model/classifier-core';
import { useTranslation } from 'react-i18next';
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

export function ContextFields({ crop, regionCode, priorsEnabled, onChange, idPrefix }: Props) {
  const { t } = useTranslation();
  return (
    <div className="stack">
      <div className="field">
        <label htmlFor={`${idPrefix}-crop`}>{t('capture.crop')}</label>
        <select
          id={`${idPrefix}-crop`}
          value={crop ?? ''}
          onChange={(e) => onChange({ crop: e.target.value || null })}
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
          onChange={(e) => onChange({ regionCode: e.target.value || null })}
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
          onChange={(e) => onChange({ priorsEnabled: e.target.checked })}
        />
        <label htmlFor={`${idPrefix}-priors`}>{t('capture.priors')}</label>
      </div>
    </div>
  );
}
