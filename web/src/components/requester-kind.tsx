import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ProfileKind } from '@phytodiag/api/contract';

const KINDS: readonly ProfileKind[] = ['producer', 'advisor', 'gardener'];

/**
 * The requester's profile on a case, which the lab may correct: it is self-declared and orders
 * the queue (agricultural clients first). A select and a button, not a save on change: arrowing
 * through a select with the keyboard must not re-order the queue at each step.
 */
export function RequesterKind({
  value,
  disabled,
  onSave,
}: {
  value: ProfileKind;
  disabled: boolean;
  onSave: (kind: ProfileKind) => void;
}) {
  const { t } = useTranslation();
  const id = useId();
  const [kind, setKind] = useState<ProfileKind>(value);
  return (
    <div className="row wrap">
      <label className="visually-hidden" htmlFor={id}>
        {t('lab.profileKind')}
      </label>
      <select
        id={id}
        value={kind}
        data-testid="requester-kind"
        onChange={(e) => setKind(e.target.value as ProfileKind)}
      >
        {KINDS.map((k) => (
          <option key={k} value={k}>
            {t(`lab.profile.${k}`)}
          </option>
        ))}
      </select>
      <button
        type="button"
        className="btn small"
        disabled={disabled || kind === value}
        onClick={() => onSave(kind)}
      >
        {t('lab.profileKindSave')}
      </button>
    </div>
  );
}
