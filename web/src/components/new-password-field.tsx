import { useTranslation } from 'react-i18next';
import { PASSWORD_MIN } from '../lab/limits';

/**
 * A new password, as the account screen and the e-mailed reset link ask for it: the API's shortest
 * length, the password manager's « new-password », and the hint that other devices are signed out.
 */
export function NewPasswordField({
  id,
  value,
  onChange,
}: {
  id: string;
  value: string;
  onChange: (value: string) => void;
}) {
  const { t } = useTranslation();
  return (
    <div className="field">
      <label htmlFor={id}>{t('security.new')}</label>
      <input
        id={id}
        type="password"
        required
        minLength={PASSWORD_MIN}
        autoComplete="new-password"
        aria-describedby={`${id}-hint`}
        value={value}
        onChange={(e) => onChange(e.target.value)}
      />
      <p id={`${id}-hint`} className="hint">
        {t('auth.passwordHint')} {t('security.newHint')}
      </p>
    </div>
  );
}
