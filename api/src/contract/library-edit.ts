import { Type, type Static } from '@sinclair/typebox';
import { FilledText, LocalizedText } from './common';
import { FactSheetContent } from './fact-sheet';
import { LibraryKind } from './library';

const closed = { additionalProperties: false } as const;

/** The lab's latest edit of an entry in the app. `by`: the editor's e-mail, null once deleted. */
export const LibraryEntryEdit = Type.Object({
  at: Type.String({ format: 'date-time' }),
  by: Type.Union([Type.String(), Type.Null()]),
});
export type LibraryEntryEdit = Static<typeof LibraryEntryEdit>;

/** An edition a save in the app replaced; `lastEdit` null: the catalog and fact-sheet files. */
export const EarlierLibraryEdition = Type.Object({
  edition: Type.Integer(),
  lastEdit: Type.Union([LibraryEntryEdit, Type.Null()]),
});
export type EarlierLibraryEdition = Static<typeof EarlierLibraryEdition>;

/**
 * GET /api/library/:slug/editable (specialist/admin): an entry as its editor opens it, in both
 * languages. `edition` counts content changes; send it back with the edit.
 */
export const EditableLibraryEntry = Type.Object({
  slug: Type.String(),
  kind: LibraryKind,
  name: LocalizedText,
  crop: LocalizedText,
  scientificName: Type.Union([Type.String(), Type.Null()]),
  lookAlikes: Type.Array(Type.String()),
  factSheet: Type.Union([Type.Object({ fr: FactSheetContent, en: FactSheetContent }), Type.Null()]),
  edition: Type.Integer(),
  /** null while the entry holds what the catalog and fact-sheet files gave it. */
  lastEdit: Type.Union([LibraryEntryEdit, Type.Null()]),
  /** What the entry held before each save in the app, newest first. */
  earlier: Type.Array(EarlierLibraryEdition),
});
export type EditableLibraryEntry = Static<typeof EditableLibraryEntry>;

/** GET /api/library/:slug/editions/:edition (specialist/admin): an earlier edition's content. */
export const EarlierLibraryEditionContent = Type.Object({
  edition: Type.Integer(),
  name: LocalizedText,
  crop: LocalizedText,
  scientificName: Type.Union([Type.String(), Type.Null()]),
  lookAlikes: Type.Array(Type.String()),
  factSheet: Type.Union([Type.Object({ fr: FactSheetContent, en: FactSheetContent }), Type.Null()]),
});
export type EarlierLibraryEditionContent = Static<typeof EarlierLibraryEditionContent>;

export const EditionParams = Type.Object({
  slug: Type.String({ maxLength: 100 }),
  edition: Type.Integer({ minimum: 1, maximum: 2_147_483_647 }),
});
export type EditionParams = Static<typeof EditionParams>;

const FilledPair = (maxLength: number) =>
  Type.Object({ fr: FilledText(maxLength), en: FilledText(maxLength) }, closed);

export const LIBRARY_EDIT_LIMITS = {
  name: 200,
  crop: 100,
  scientificName: 200,
  lookAlikes: 10,
} as const;

/**
 * PUT /api/library/:slug (specialist/admin) → EditableLibraryEntry. 409 LIBRARY_EDIT_CONFLICT when
 * `edition` is no longer the entry's (someone saved meanwhile); 422 INVALID_LOOK_ALIKE for a
 * look-alike that is not another entry; 400 FACT_SHEET_REQUIRED to empty a written sheet.
 * The kind stays the catalog's. Devices receive the change with the library's delta sync.
 */
export const LibraryEntryEditBody = Type.Object(
  {
    edition: Type.Integer({ minimum: 1 }),
    name: FilledPair(LIBRARY_EDIT_LIMITS.name),
    crop: FilledPair(LIBRARY_EDIT_LIMITS.crop),
    scientificName: Type.Union([FilledText(LIBRARY_EDIT_LIMITS.scientificName), Type.Null()]),
    lookAlikes: Type.Array(Type.String({ minLength: 1, maxLength: 100 }), {
      maxItems: LIBRARY_EDIT_LIMITS.lookAlikes,
      uniqueItems: true,
    }),
    /** null: not written yet (a written sheet cannot be emptied, only corrected). */
    factSheet: Type.Union([
      Type.Object({ fr: FactSheetContent, en: FactSheetContent }, closed),
      Type.Null(),
    ]),
  },
  closed,
);
export type LibraryEntryEditBody = Static<typeof LibraryEntryEditBody>;
