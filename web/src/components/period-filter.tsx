import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { SURVEILLANCE_LIMITS } from '../surveillance/limits';
import {
  isoWeekToMonday,
  mondayToIsoWeek,
  PERIOD_PRESETS,
  presetRange,
  seasonalPreset,
  weeksBetween,
  type PeriodPreset,
} from '../surveillance/weeks';

export interface Period {
  preset: PeriodPreset | 'custom';
  from: string;
  to: string;
}

/** The user's calendar day, as a UTC date (weeks are dates, computed in UTC from here on). */
function calendarDay(now: Date): Date {
  return new Date(Date.UTC(now.getFullYear(), now.getMonth(), now.getDate()));
}

/** `preset`: 'seasonal' picks the last 12 weeks in season, the last 52 off season. */
export function initialPeriod(
  preset: PeriodPreset | 'seasonal' = 'last12',
  now = new Date(),
): Period {
  const today = calendarDay(now);
  const chosen = preset === 'seasonal' ? seasonalPreset(today) : preset;
  return { preset: chosen, ...presetRange(chosen, today) };
}

/**
 * Week-range picker: presets (last 4/12/52 weeks, growing season) or two ISO-week fields. Only a
 * valid range (start ≤ end, at most the API's maximum span) is passed up.
 */
export function PeriodFilter({
  idPrefix,
  value,
  onChange,
}: {
  idPrefix: string;
  value: Period;
  onChange: (p: Period) => void;
}) {
  const { t } = useTranslation();
  const [from, setFrom] = useState(mondayToIsoWeek(value.from));
  const [to, setTo] = useState(mondayToIsoWeek(value.to));
  const [error, setError] = useState<string | null>(null);
  // A preset chosen here or by the page (its "52 weeks" button): the week fields follow it.
  const [shown, setShown] = useState(value);
  if (value !== shown) {
    setShown(value);
    if (value.preset !== 'custom') {
      setFrom(mondayToIsoWeek(value.from));
      setTo(mondayToIsoWeek(value.to));
      setError(null);
    }
  }

  function commit(nextFrom: string, nextTo: string) {
    const f = isoWeekToMonday(nextFrom);
    const e = isoWeekToMonday(nextTo);
    if (!f || !e) return setError(t('period.invalid'));
    if (f > e) return setError(t('period.order'));
    if (weeksBetween(f, e).length > SURVEILLANCE_LIMITS.maxWeeks)
      return setError(t('period.tooLong', { count: SURVEILLANCE_LIMITS.maxWeeks }));
    setError(null);
    onChange({ preset: 'custom', from: f, to: e });
  }

  const errorId = `${idPrefix}-period-error`;
  return (
    <>
      <div className="field period-field">
        <label htmlFor={`${idPrefix}-period`}>{t('period.label')}</label>
        <select
          id={`${idPrefix}-period`}
          value={value.preset}
          onChange={(e) => {
            const preset = e.target.value as Period['preset'];
            if (preset === 'custom') {
              onChange({ ...value, preset });
              return;
            }
            onChange(initialPeriod(preset));
          }}
        >
          {PERIOD_PRESETS.map((p) => (
            <option key={p} value={p}>
              {t(`period.${p}`)}
            </option>
          ))}
          <option value="custom">{t('period.custom')}</option>
        </select>
      </div>
      {value.preset === 'custom' && (
        <>
          <div className="field">
            <label htmlFor={`${idPrefix}-from`}>{t('period.from')}</label>
            <input
              id={`${idPrefix}-from`}
              type="week"
              value={from}
              aria-describedby={error ? errorId : undefined}
              aria-invalid={error ? true : undefined}
              onChange={(e) => {
                setFrom(e.target.value);
                commit(e.target.value, to);
              }}
            />
          </div>
          <div className="field">
            <label htmlFor={`${idPrefix}-to`}>{t('period.to')}</label>
            <input
              id={`${idPrefix}-to`}
              type="week"
              value={to}
              aria-describedby={error ? errorId : undefined}
              aria-invalid={error ? true : undefined}
              onChange={(e) => {
                setTo(e.target.value);
                commit(from, e.target.value);
              }}
            />
          </div>
          {error && (
            <p id={errorId} className="notice error" role="alert">
              {error}
            </p>
          )}
        </>
      )}
    </>
  );
}
