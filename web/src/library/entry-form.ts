import type {
  EditableLibraryEntry,
  FactSheetContent,
  LibraryEntryEditBody,
} from '@phytodiag/api/contract';
import type { Lang } from '../db/types';

/**
 * The library entry editor's form: every field a string as the text boxes hold it, lists one
 * item per line. Kept apart from the screen so the mapping both ways is tested on its own.
 */

/** A fact sheet's fields in the order the editor shows them; `list`: one item per line. */
export const SHEET_FIELDS = [
  { key: 'summary', list: false },
  { key: 'symptoms', list: false },
  { key: 'lookAlikes', list: false },
  { key: 'biology', list: false },
  { key: 'scouting', list: false },
  { key: 'management', list: true },
  { key: 'callLab', list: false },
  { key: 'actNow', list: true },
  { key: 'plain', list: false },
  { key: 'homeGarden', list: true },
] as const;
export type SheetField = (typeof SHEET_FIELDS)[number]['key'];
export type SheetForm = Record<SheetField, string>;

export interface EntryForm {
  name: Record<Lang, string>;
  crop: Record<Lang, string>;
  scientificName: string;
  lookAlikes: string[];
  sheet: Record<Lang, SheetForm>;
}

const LANGS: readonly Lang[] = ['fr', 'en'];

const lines = (items: readonly string[]) => items.join('\n');
const items = (text: string) =>
  text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l.length > 0);

function sheetForm(s: FactSheetContent | null): SheetForm {
  return {
    summary: s?.summary ?? '',
    symptoms: s?.symptoms ?? '',
    lookAlikes: s?.lookAlikes ?? '',
    biology: s?.biology ?? '',
    scouting: s?.scouting ?? '',
    management: lines(s?.management ?? []),
    callLab: s?.callLab ?? '',
    actNow: lines(s?.producer.actNow ?? []),
    plain: s?.gardener.plain ?? '',
    homeGarden: lines(s?.gardener.homeGarden ?? []),
  };
}

/** What the form edits of an entry, or of one of its earlier editions. */
export type EntryContent = Pick<
  EditableLibraryEntry,
  'name' | 'crop' | 'scientificName' | 'lookAlikes' | 'factSheet'
>;

export function toForm(e: EntryContent): EntryForm {
  return {
    name: { ...e.name },
    crop: { ...e.crop },
    scientificName: e.scientificName ?? '',
    lookAlikes: [...e.lookAlikes],
    sheet: { fr: sheetForm(e.factSheet?.fr ?? null), en: sheetForm(e.factSheet?.en ?? null) },
  };
}

function sheetContent(f: SheetForm): FactSheetContent {
  return {
    summary: f.summary.trim(),
    symptoms: f.symptoms.trim(),
    lookAlikes: f.lookAlikes.trim(),
    biology: f.biology.trim(),
    scouting: f.scouting.trim(),
    management: items(f.management),
    callLab: f.callLab.trim(),
    producer: { actNow: items(f.actNow) },
    gardener: { plain: f.plain.trim(), homeGarden: items(f.homeGarden) },
  };
}

/** A field the editor must still fill, in one language. */
export type MissingField =
  { lang: Lang; field: 'name' | 'crop' } | { lang: Lang; field: 'sheet'; key: SheetField };

const isBlank = (s: string) => s.trim().length === 0;

/**
 * The body to send, or what is missing. A sheet left wholly empty in both languages is « not
 * written yet » (null); once any of it is written, every field of both languages is needed: the
 * devices show whichever language and profile their user has.
 */
export function toBody(
  form: EntryForm,
  edition: number,
): { body: LibraryEntryEditBody } | { missing: MissingField[] } {
  const missing: MissingField[] = [];
  for (const lang of LANGS) {
    if (isBlank(form.name[lang])) missing.push({ lang, field: 'name' });
    if (isBlank(form.crop[lang])) missing.push({ lang, field: 'crop' });
  }
  const written = LANGS.some((lang) => SHEET_FIELDS.some((f) => !isBlank(form.sheet[lang][f.key])));
  if (written) {
    for (const lang of LANGS)
      for (const f of SHEET_FIELDS)
        if (isBlank(form.sheet[lang][f.key])) missing.push({ lang, field: 'sheet', key: f.key });
  }
  if (missing.length > 0) return { missing };
  return {
    body: {
      edition,
      name: { fr: form.name.fr.trim(), en: form.name.en.trim() },
      crop: { fr: form.crop.fr.trim(), en: form.crop.en.trim() },
      scientificName: isBlank(form.scientificName) ? null : form.scientificName.trim(),
      lookAlikes: form.lookAlikes,
      factSheet: written
        ? { fr: sheetContent(form.sheet.fr), en: sheetContent(form.sheet.en) }
        : null,
    },
  };
}
