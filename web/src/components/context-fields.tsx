import { OTHER_CROP } from '@phytodiag/model/classifier-core';
import { useState } from 'react';
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

type Fields = Pick<Props, 'crop' | 'regionCode' | 'priorsEnabled'>;

export function ContextFields({ idPrefix, onChange, ...saved }: Props) {
  const { t } = useTranslation();
  // The saved values come back from IndexedDB a moment after a change; shown as chosen at once,
  // so the box or the list never flips back meanwhile (nor is announced so by a screen reader).
  const [shown, setShown] = useState<Fields>(saved);
  const [last, setLast] = useState<Fields>(saved);
  if (
    last.crop !== saved.crop ||
    last.regionCode !== saved.regionCode ||
    last.priorsEnabled !== saved.priorsEnabled
  ) {
    setLast(saved);
    setShown(saved);
  }
  const { crop, regionCode, priorsEnabled } = shown;
  const change = (patch: Partial<Fields>) => {
    setShown((s) => ({ ...s, ...patch }));
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
