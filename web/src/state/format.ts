import type { Lang } from '../db/types';

// Date and hours:minutes; seconds are noise on a case ("12 h 42 min 57 s").
const FORMATS: Record<Lang, Intl.DateTimeFormat> = {
  fr: new Intl.DateTimeFormat('fr-CA', { dateStyle: 'medium', timeStyle: 'short' }),
  en: new Intl.DateTimeFormat('en-CA', { dateStyle: 'medium', timeStyle: 'short' }),
};

/** Date and time as a Quebec reader expects them, in the UI language ("12 juin 2025, 16 h 42"). */
export function formatDateTime(iso: string | number | Date, lang: Lang): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? '' : format(FORMATS[lang], d, lang);
}

// Parts that read as one unit and must not be split over two lines on a phone: « 09 h 50 »,
// « 9:50 a.m. », « 5 déc. », « Dec 5 ».
const UNITS = [new Set(['hour', 'minute', 'dayPeriod']), new Set(['day', 'month'])];

/**
 * A date through `f`, with non-breaking spaces inside the time and the day-and-month, and, in
 * French, the first of the month as an ordinal: « 1er déc. », never « 1 déc. ».
 */
function format(f: Intl.DateTimeFormat, d: Date, lang: Lang): string {
  const parts = f.formatToParts(d);
  return parts
    .map((p, i) => {
      if (p.type === 'day' && p.value === '1' && lang === 'fr') return '1er';
      if (p.type !== 'literal') return p.value;
      const [before, after] = [parts[i - 1]?.type, parts[i + 1]?.type];
      const inside = UNITS.some((u) => u.has(before ?? '') && u.has(after ?? ''));
      return inside ? p.value.replace(/ /g, '\u00a0') : p.value;
    })
    .join('');
}

// Calendar days (ISO weeks' Mondays) carry no time zone: formatted in UTC so that
// "2026-08-10" is the 10th everywhere, west of Greenwich too.
const DAYS: Record<'medium' | 'long', Record<Lang, Intl.DateTimeFormat>> = {
  medium: {
    fr: new Intl.DateTimeFormat('fr-CA', { dateStyle: 'medium', timeZone: 'UTC' }),
    en: new Intl.DateTimeFormat('en-CA', { dateStyle: 'medium', timeZone: 'UTC' }),
  },
  long: {
    fr: new Intl.DateTimeFormat('fr-CA', { dateStyle: 'long', timeZone: 'UTC' }),
    en: new Intl.DateTimeFormat('en-CA', { dateStyle: 'long', timeZone: 'UTC' }),
  },
};

/**
 * A calendar day ("2026-08-10") as the UI language writes it: "10 août 2026", "Aug 10, 2026".
 * In tables, unlike the ISO form, it wraps between words on a phone instead of inside digits.
 */
export function formatDay(isoDay: string, lang: Lang, style: 'medium' | 'long' = 'medium'): string {
  const d = new Date(`${isoDay.slice(0, 10)}T00:00:00Z`);
  return Number.isNaN(d.getTime()) ? isoDay : format(DAYS[style][lang], d, lang);
}

const DAY_MONTH: Record<Lang, Intl.DateTimeFormat> = {
  fr: new Intl.DateTimeFormat('fr-CA', { day: 'numeric', month: 'short', timeZone: 'UTC' }),
  en: new Intl.DateTimeFormat('en-CA', { day: 'numeric', month: 'short', timeZone: 'UTC' }),
};

/** A chart's week tick, a UTC midnight: « 1er oct. », « 30 nov. », "Oct 1". */
export function formatDayMonth(d: Date, lang: Lang): string {
  return format(DAY_MONTH[lang], d, lang);
}

/**
 * A deadline. One at midnight sharp is the end of the day before: « Réponse due le 2 déc.,
 * 00 h 00 » reads as the 2nd, a day late. `endOfDay` then says to word it « d'ici la fin du ».
 */
export function formatDeadline(iso: string, lang: Lang): { endOfDay: boolean; text: string } {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return { endOfDay: false, text: '' };
  if (d.getHours() !== 0 || d.getMinutes() !== 0) {
    return { endOfDay: false, text: formatDateTime(d, lang) };
  }
  const before = new Date(d.getTime() - 1);
  const day = `${before.getFullYear()}-${String(before.getMonth() + 1).padStart(2, '0')}-${String(before.getDate()).padStart(2, '0')}`;
  return { endOfDay: true, text: formatDay(day, lang) };
}

const LISTS: Record<Lang, Intl.ListFormat> = {
  fr: new Intl.ListFormat('fr-CA'),
  en: new Intl.ListFormat('en-CA'),
};

/** Items joined as the UI language writes a list: "1, 3 et 4", "1, 3 and 4" (en-CA). */
export function formatList(items: readonly string[], lang: Lang): string {
  return LISTS[lang].format(items);
}

/** A calendar month (1–12) by its name: "juillet", "July". */
export function formatMonth(month: number, lang: Lang): string {
  return new Date(Date.UTC(2000, month - 1, 15)).toLocaleString(lang === 'fr' ? 'fr-CA' : 'en-CA', {
    month: 'long',
    timeZone: 'UTC',
  });
}

const PERCENT: Record<Lang, Intl.NumberFormat> = {
  fr: new Intl.NumberFormat('fr-CA', {
    style: 'percent',
    minimumFractionDigits: 1,
    maximumFractionDigits: 1,
  }),
  en: new Intl.NumberFormat('en-CA', {
    style: 'percent',
    minimumFractionDigits: 1,
    maximumFractionDigits: 1,
  }),
};

/** A share (0–1) as a percentage with one decimal, as the UI language writes it: "88,7 %", "88.7%". */
export function formatPercent(share: number, lang: Lang): string {
  return PERCENT[lang].format(share);
}

const WHOLE_PERCENT: Record<Lang, Intl.NumberFormat> = {
  fr: new Intl.NumberFormat('fr-CA', { style: 'percent', maximumFractionDigits: 0 }),
  en: new Intl.NumberFormat('en-CA', { style: 'percent', maximumFractionDigits: 0 }),
};

/** A share (0–1) as a whole percentage, for rates over few cases: "71 %", "71%". */
export function formatWholePercent(share: number, lang: Lang): string {
  return WHOLE_PERCENT[lang].format(share);
}

/**
 * A model's probability, as formatPercent, but never "100,0 %" nor "0,0 %": a rounded 100 % would
 * claim a certainty no model has. Shown as "> 99,9 %" and "< 0,1 %" instead.
 */
export function formatProbability(p: number, lang: Lang): string {
  if (p >= 0.9995) return `>\u00a0${formatPercent(0.999, lang)}`;
  if (p < 0.0005) return `<\u00a0${formatPercent(0.001, lang)}`;
  return formatPercent(p, lang);
}

const FACTOR: Record<Lang, Intl.NumberFormat> = {
  fr: new Intl.NumberFormat('fr-CA', { maximumFractionDigits: 2 }),
  en: new Intl.NumberFormat('en-CA', { maximumFractionDigits: 2 }),
};

/** A multiplying factor as the UI language writes it: "×0,5", "×0.5". */
export function formatFactor(factor: number, lang: Lang): string {
  return `×${FACTOR[lang].format(factor)}`;
}

const SIZE_UNITS = { fr: ['ko', 'Mo', 'Go'], en: ['kB', 'MB', 'GB'] } as const;

/** A size as the UI language writes it, in the largest unit under 1000: "11 Mo", "10.7 GB". */
export function formatBytes(n: number, lang: Lang): string {
  const [kB, MB, GB] = SIZE_UNITS[lang];
  const [value, unit] = n >= 1e9 ? [n / 1e9, GB] : n >= 1e6 ? [n / 1e6, MB] : [n / 1e3, kB];
  // Never « 0 ko »: a few bytes are still something to download.
  const shown = unit === kB ? Math.max(1, Math.round(value)) : value;
  const digits = shown.toLocaleString(lang === 'fr' ? 'fr-CA' : 'en-CA', {
    maximumFractionDigits: 1,
  });
  return `${digits}\u00a0${unit}`;
}
