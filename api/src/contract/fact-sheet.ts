import { Type, type Static } from '@sinclair/typebox';

const Text = Type.String({ minLength: 1 });
const Sentences = Type.Array(Text, { minItems: 1 });

/**
 * One language of a fact sheet. The PWA picks sections by profile: producer → `producer.actNow`
 * then `management`; advisor/agronomist → everything; gardener → `gardener`.
 */
export const FactSheetContent = Type.Object({
  summary: Text,
  symptoms: Text,
  lookAlikes: Text,
  biology: Text,
  scouting: Text,
  management: Sentences,
  callLab: Text,
  producer: Type.Object({ actNow: Sentences }),
  gardener: Type.Object({ plain: Text, homeGarden: Sentences }),
});
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
