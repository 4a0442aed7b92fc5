import { Type, type Static } from '@sinclair/typebox';
import { FilledText } from './common';

/** Limits of a fact sheet: the longest authored paragraph is under 700 characters. */
export const FACT_SHEET_LIMITS = { text: 3000, items: 20 } as const;

const Text = FilledText(FACT_SHEET_LIMITS.text);
const Sentences = Type.Array(Text, { minItems: 1, maxItems: FACT_SHEET_LIMITS.items });
const closed = { additionalProperties: false } as const;

/**
 * One language of a fact sheet. The PWA picks sections by profile: producer → `producer.actNow`
 * then `management`; advisor/agronomist → everything; gardener → `gardener`.
 */
export const FactSheetContent = Type.Object(
  {
    summary: Text,
    symptoms: Text,
    lookAlikes: Text,
    biology: Text,
    scouting: Text,
    management: Sentences,
    callLab: Text,
    producer: Type.Object({ actNow: Sentences }, closed),
    gardener: Type.Object({ plain: Text, homeGarden: Sentences }, closed),
  },
  closed,
);
export type FactSheetContent = Static<typeof FactSheetContent>;

/** File format of api/src/seed/fact-sheets/<slug>.json (authored content, both languages). */
export const FactSheetFile = Type.Object({
  slug: Type.String({ minLength: 1 }),
  /** Other library slugs easily confused with this one. */
  lookAlikes: Type.Array(Type.String({ minLength: 1 })),
  fr: FactSheetContent,
  en: FactSheetContent,
});
export type FactSheetFile = Static<typeof FactSheetFile>;
