import { Type, type Static } from '@sinclair/typebox';

/** UI / content language. French is the primary language of the product. */
export const Language = Type.Union([Type.Literal('fr'), Type.Literal('en')], {
  $id: 'Language',
  description: 'fr (default) or en',
});
export type Language = Static<typeof Language>;

export const Uuid = Type.String({ format: 'uuid' });

/**
 * Text a person must write (a crop, a name, an answer): at least one visible character, since
 * spaces alone would be stored as an empty answer.
 */
export const FilledText = (maxLength: number) =>
  Type.String({ minLength: 1, maxLength, pattern: '\\S' });

/** A text available in both languages (library names, crops). */
export const LocalizedText = Type.Object({ fr: Type.String(), en: Type.String() });
export type LocalizedText = Static<typeof LocalizedText>;

/** Quebec administrative region code, "01" to "17" (see GEO_DIR/quebec-regions.geojson). */
export const RegionCode = Type.String({ pattern: '^(0[1-9]|1[0-7])$' });

/**
 * Body of EVERY error response. `code` is stable (switch on it in the client); `message` is
 * human-readable, in the signed-in user's language, else Accept-Language, else French.
 * `details` is only present on VALIDATION_ERROR (one entry per invalid field).
 */
export const ErrorBody = Type.Object({
  error: Type.Object({
    code: Type.String(),
    message: Type.String(),
    details: Type.Optional(
      Type.Array(Type.Object({ path: Type.String(), message: Type.String() })),
    ),
  }),
});
export type ErrorBody = Static<typeof ErrorBody>;

/** Query string accepted by every localised read endpoint. */
export const LangQuery = Type.Object({ lang: Type.Optional(Language) });
export type LangQuery = Static<typeof LangQuery>;

export const IdParams = Type.Object({ id: Uuid });
export type IdParams = Static<typeof IdParams>;
