import type { Lang } from '../db/types';

// Date and hours:minutes; seconds are noise on a case ("12 h 42 min 57 s").
const FORMATS: Record<Lang, Intl.DateTimeFormat> = {
  fr: new Intl.DateTimeFormat('fr-CA', { dateStyle: 'medium', timeStyle: 'short' }),
  en: new Intl.DateTimeFormat('en-CA', { dateStyle: 'medium', timeStyle: 'short' }),
};

/** Date and time as a Quebec reader expects them, in the UI language ("12 juin 2025, 16 h 42"). */
export function formatDateTime(iso: string | number | Date, lang: Lang): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? '' : FORMATS[lang].format(d);
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
