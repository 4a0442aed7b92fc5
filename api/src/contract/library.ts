import { Type, type Static } from '@sinclair/typebox';
import { LocalizedText } from './common';
import { FactSheetContent } from './fact-sheet';

export const LibraryKind = Type.Union([
  Type.Literal('disease'),
  Type.Literal('insect'),
  Type.Literal('weed'),
  Type.Literal('healthy'),
]);
export type LibraryKind = Static<typeof LibraryKind>;

/**
 * Licence of the photos a producer let the lab put in the bank (case photos, with their consent):
 * not a public licence, so the library says it in words rather than show this code.
 */
export const PRODUCER_CONSENT_LICENCE = 'phytodiag-producer-consent';

/** A validated reference photo. URLs are same-origin, immutable (content-addressed). */
export const LibraryImage = Type.Object({
  url: Type.String({ description: 'normalised JPEG, long side ≤ 2048 px' }),
  thumbUrl: Type.String({ description: 'WebP thumbnail, long side 320 px' }),
  width: Type.Integer(),
  height: Type.Integer(),
  credit: Type.String(),
  licence: Type.String(),
});
export type LibraryImage = Static<typeof LibraryImage>;

/** GET /api/library item, in the requested language. */
export const LibraryListItem = Type.Object({
  slug: Type.String(),
  kind: LibraryKind,
  crop: Type.String(),
  name: Type.String(),
  scientificName: Type.Union([Type.String(), Type.Null()]),
  /** 96 px WebP thumbnail of the first reference image, null when the class has no image. */
  iconUrl: Type.Union([Type.String(), Type.Null()]),
  hasFactSheet: Type.Boolean(),
  revision: Type.Integer(),
});
export type LibraryListItem = Static<typeof LibraryListItem>;

export const LibraryList = Type.Object({
  /** Current library revision (pass it later to /api/library/sync?since=). */
  revision: Type.Integer(),
  items: Type.Array(LibraryListItem),
});
export type LibraryList = Static<typeof LibraryList>;

/** GET /api/library/:slug in the requested language. */
export const LibraryEntry = Type.Object({
  slug: Type.String(),
  kind: LibraryKind,
  crop: Type.String(),
  name: Type.String(),
  scientificName: Type.Union([Type.String(), Type.Null()]),
  lookAlikes: Type.Array(Type.String()),
  /** null while the sheet is not written yet. */
  factSheet: Type.Union([FactSheetContent, Type.Null()]),
  images: Type.Array(LibraryImage),
  revision: Type.Integer(),
  updatedAt: Type.String({ format: 'date-time' }),
});
export type LibraryEntry = Static<typeof LibraryEntry>;

/** Entry as delivered by the delta sync: both languages, for offline use. */
export const LibrarySyncEntry = Type.Object({
  slug: Type.String(),
  kind: LibraryKind,
  crop: LocalizedText,
  name: LocalizedText,
  scientificName: Type.Union([Type.String(), Type.Null()]),
  lookAlikes: Type.Array(Type.String()),
  factSheet: Type.Union([Type.Object({ fr: FactSheetContent, en: FactSheetContent }), Type.Null()]),
  images: Type.Array(LibraryImage),
  revision: Type.Integer(),
  updatedAt: Type.String({ format: 'date-time' }),
});
export type LibrarySyncEntry = Static<typeof LibrarySyncEntry>;

export const LibrarySyncQuery = Type.Object({
  /** Last revision the client holds; 0 (default) = everything. */
  since: Type.Optional(Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER, default: 0 })),
});
export type LibrarySyncQuery = Static<typeof LibrarySyncQuery>;

/**
 * GET /api/library/sync?since=N: entries whose revision > N, and the current revision to store
 * and send next time. Entries are never deleted in v1 (no tombstones yet).
 */
export const LibrarySync = Type.Object({
  revision: Type.Integer(),
  items: Type.Array(LibrarySyncEntry),
});
export type LibrarySync = Static<typeof LibrarySync>;

export const SlugParams = Type.Object({ slug: Type.String({ maxLength: 100 }) });
export type SlugParams = Static<typeof SlugParams>;
