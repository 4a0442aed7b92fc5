import type { Queryable } from '../db/types';
import { PUBLISHED } from './bank-image-repository';
import type { LibraryKind } from '../contract/library';
import type { FactSheetFile } from '../contract/fact-sheet';

export interface LibraryRecord {
  slug: string;
  kind: LibraryKind;
  crop: { fr: string; en: string };
  name: { fr: string; en: string };
  scientificName: string | null;
  /** Both languages, as authored (null while not written). */
  factSheet: Pick<FactSheetFile, 'fr' | 'en'> | null;
  lookAlikes: string[];
  updatedAt: string;
  revision: number;
  /** Base media key of the first validated image, if any. */
  firstImageKey: string | null;
}

interface LibraryRow {
  slug: string;
  kind: LibraryKind;
  crop_fr: string;
  crop_en: string;
  name_fr: string;
  name_en: string;
  scientific_name: string | null;
  fact_sheet: Pick<FactSheetFile, 'fr' | 'en'> | null;
  look_alikes: string[];
  updated_at: Date;
  revision: string | number;
  first_image_key: string | null;
}

/** What the lab edits of an entry (the kind stays the catalog's). */
export type LibraryContent = Pick<
  LibraryRecord,
  'name' | 'crop' | 'scientificName' | 'factSheet' | 'lookAlikes'
>;

/** An entry's content as query values: crop fr/en, name fr/en, scientific name, sheet, look-alikes. */
const contentValues = (e: LibraryContent) => [
  e.crop.fr,
  e.crop.en,
  e.name.fr,
  e.name.en,
  e.scientificName,
  e.factSheet === null ? null : JSON.stringify(e.factSheet),
  e.lookAlikes,
];

export interface EditableRecord extends LibraryContent {
  slug: string;
  kind: LibraryKind;
  edition: number;
  /** The lab's latest edit in the app; `byEmail` null when the account row is gone. */
  edited: { at: string; byEmail: string | null } | null;
}

/** An edition the lab's saves replaced; `edited` null when it came from the catalog and files. */
export interface EarlierEdition {
  edition: number;
  edited: { at: string; byEmail: string | null } | null;
}

type EditableRow = Omit<LibraryRow, 'updated_at' | 'revision' | 'first_image_key'> & {
  edition: number;
  edited_at: Date | null;
  edited_by_email: string | null;
};

/** Advisory lock key of new-class creation (any constant no other lock uses). */
const NEW_CLASS_LOCK_KEY = 7_402_117_032;

const SELECT = `SELECT e.slug, e.kind, e.crop_fr, e.crop_en, e.name_fr, e.name_en, e.scientific_name,
    e.fact_sheet, e.look_alikes, e.updated_at, e.revision,
    (SELECT b.media_key FROM bank_images b
      WHERE b.class_slug = e.slug AND ${PUBLISHED('b')}
      ORDER BY b.source, b.sha256 LIMIT 1) AS first_image_key
  FROM library_entries e`;

/** What an entry is made of, from its row (the columns both reads share). */
function contentOfRow(row: Omit<LibraryRow, 'updated_at' | 'revision' | 'first_image_key'>) {
  return {
    slug: row.slug,
    kind: row.kind,
    crop: { fr: row.crop_fr, en: row.crop_en },
    name: { fr: row.name_fr, en: row.name_en },
    scientificName: row.scientific_name,
    factSheet: row.fact_sheet,
    lookAlikes: row.look_alikes,
  };
}

function toRecord(row: LibraryRow): LibraryRecord {
  return {
    ...contentOfRow(row),
    updatedAt: row.updated_at.toISOString(),
    // int8 arrives as a string from pg; revisions stay far below 2^53.
    revision: Number(row.revision),
    firstImageKey: row.first_image_key,
  };
}

/** A list row: everything but the fact sheets themselves (the heavy part of an entry). */
export type LibrarySummary = Omit<LibraryRecord, 'factSheet' | 'updatedAt'> & {
  hasFactSheet: boolean;
};

/** What an entry is made of; revision, updatedAt and images are the database's to set. */
export type LibraryUpsert = Omit<LibraryRecord, 'updatedAt' | 'revision' | 'firstImageKey'>;

export function libraryRepository(db: Queryable) {
  return {
    /**
     * Insert or update (not an entry the lab edited in the app); the revision moves (and updated_at changes) only when something really
     * changed, so re-seeding the same content does not make every client re-download.
     * Returns whether a row was written.
     */
    async upsert(e: LibraryUpsert): Promise<boolean> {
      const rows = await db.query(
        `INSERT INTO library_entries AS cur
           (slug, kind, crop_fr, crop_en, name_fr, name_en, scientific_name, fact_sheet, look_alikes)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8::jsonb, $9::text[])
         ON CONFLICT (slug) DO UPDATE SET
           kind = EXCLUDED.kind, crop_fr = EXCLUDED.crop_fr, crop_en = EXCLUDED.crop_en,
           name_fr = EXCLUDED.name_fr, name_en = EXCLUDED.name_en,
           scientific_name = EXCLUDED.scientific_name, fact_sheet = EXCLUDED.fact_sheet,
           look_alikes = EXCLUDED.look_alikes, edition = cur.edition + 1,
           updated_at = now(), revision = nextval('library_revision_seq')
         -- An entry the lab edited in the app is the lab's: files no longer overwrite it.
         WHERE cur.edited_at IS NULL AND (cur.kind, cur.crop_fr, cur.crop_en, cur.name_fr, cur.name_en, cur.scientific_name,
                cur.fact_sheet, cur.look_alikes)
           IS DISTINCT FROM
               (EXCLUDED.kind, EXCLUDED.crop_fr, EXCLUDED.crop_en, EXCLUDED.name_fr,
                EXCLUDED.name_en, EXCLUDED.scientific_name, EXCLUDED.fact_sheet,
                EXCLUDED.look_alikes)
         RETURNING slug`,
        [e.slug, e.kind, ...contentValues(e)],
      );
      return rows.length > 0;
    },

    /** New revision for an entry whose images changed (the sync payload includes images). */
    async touch(slug: string): Promise<void> {
      await db.query(
        `UPDATE library_entries SET updated_at = now(), revision = nextval('library_revision_seq')
          WHERE slug = $1`,
        [slug],
      );
    },

    /** Slugs of the entries the lab edited in the app (the seed leaves them alone). */
    async editedSlugs(): Promise<Set<string>> {
      const rows = await db.query<{ slug: string }>(
        'SELECT slug FROM library_entries WHERE edited_at IS NOT NULL',
      );
      return new Set(rows.map((r) => r.slug));
    },

    /** The list screen needs no fact-sheet text: leave the JSON in the database. */
    async listSummaries(): Promise<LibrarySummary[]> {
      const rows = await db.query<
        Omit<LibraryRow, 'fact_sheet' | 'updated_at'> & { has_fact_sheet: boolean }
      >(
        `SELECT e.slug, e.kind, e.crop_fr, e.crop_en, e.name_fr, e.name_en, e.scientific_name,
            e.fact_sheet IS NOT NULL AS has_fact_sheet, e.look_alikes, e.revision,
            (SELECT b.media_key FROM bank_images b
              WHERE b.class_slug = e.slug AND ${PUBLISHED('b')}
              ORDER BY b.source, b.sha256 LIMIT 1) AS first_image_key
           FROM library_entries e ORDER BY e.kind, e.crop_fr, e.slug`,
      );
      return rows.map((row) => ({
        slug: row.slug,
        kind: row.kind,
        crop: { fr: row.crop_fr, en: row.crop_en },
        name: { fr: row.name_fr, en: row.name_en },
        scientificName: row.scientific_name,
        hasFactSheet: row.has_fact_sheet,
        lookAlikes: row.look_alikes,
        revision: Number(row.revision),
        firstImageKey: row.first_image_key,
      }));
    },

    async findBySlug(slug: string): Promise<LibraryRecord | null> {
      const row = await db.maybeOne<LibraryRow>(`${SELECT} WHERE e.slug = $1`, [slug]);
      return row && toRecord(row);
    },

    /** An entry as its editor opens it; `lock` holds the row until the transaction ends. */
    async findEditable(slug: string, lock = false): Promise<EditableRecord | null> {
      const row = await db.maybeOne<EditableRow>(
        `SELECT e.slug, e.kind, e.crop_fr, e.crop_en, e.name_fr, e.name_en, e.scientific_name,
            e.fact_sheet, e.look_alikes, e.edition, e.edited_at, u.email AS edited_by_email
           FROM library_entries e LEFT JOIN users u ON u.id = e.edited_by
          WHERE e.slug = $1 ${lock ? 'FOR UPDATE OF e' : ''}`,
        [slug],
      );
      return (
        row && {
          ...contentOfRow(row),
          edition: row.edition,
          edited: row.edited_at && {
            at: row.edited_at.toISOString(),
            byEmail: row.edited_by_email,
          },
        }
      );
    },

    /**
     * The lab's edit: a new edition and a new revision (devices fetch it with the delta sync).
     * What the entry held is kept first, in the same statement, as an earlier edition.
     */
    async edit(slug: string, e: LibraryContent, editorId: string): Promise<void> {
      await db.query(
        `WITH kept AS (
           INSERT INTO library_entry_editions (slug, edition, content, edited_by, edited_at)
           SELECT slug, edition,
                  jsonb_build_object(
                    'name', jsonb_build_object('fr', name_fr, 'en', name_en),
                    'crop', jsonb_build_object('fr', crop_fr, 'en', crop_en),
                    'scientificName', scientific_name, 'lookAlikes', to_jsonb(look_alikes),
                    'factSheet', fact_sheet),
                  edited_by, edited_at
             FROM library_entries WHERE slug = $1)
         UPDATE library_entries SET crop_fr = $2, crop_en = $3, name_fr = $4, name_en = $5,
            scientific_name = $6, fact_sheet = $7::jsonb, look_alikes = $8::text[],
            edition = edition + 1, edited_by = $9, edited_at = now(), updated_at = now(),
            revision = nextval('library_revision_seq')
          WHERE slug = $1`,
        [slug, ...contentValues(e), editorId],
      );
    },

    /** The earlier editions of an entry, newest first. */
    async earlierEditions(slug: string): Promise<EarlierEdition[]> {
      const rows = await db.query<{
        edition: number;
        edited_at: Date | null;
        edited_by_email: string | null;
      }>(
        `SELECT x.edition, x.edited_at, u.email AS edited_by_email
           FROM library_entry_editions x LEFT JOIN users u ON u.id = x.edited_by
          WHERE x.slug = $1 ORDER BY x.edition DESC`,
        [slug],
      );
      return rows.map((r) => ({
        edition: r.edition,
        edited: r.edited_at && { at: r.edited_at.toISOString(), byEmail: r.edited_by_email },
      }));
    },

    /** One earlier edition's content, as the entry held it. */
    async earlierEdition(slug: string, edition: number): Promise<LibraryContent | null> {
      const row = await db.maybeOne<{ content: LibraryContent }>(
        'SELECT content FROM library_entry_editions WHERE slug = $1 AND edition = $2',
        [slug, edition],
      );
      return row?.content ?? null;
    },

    async listChangedSince(revision: number): Promise<LibraryRecord[]> {
      return (
        await db.query<LibraryRow>(`${SELECT} WHERE e.revision > $1 ORDER BY e.revision`, [
          revision,
        ])
      ).map(toRecord);
    },

    async currentRevision(): Promise<number> {
      const row = await db.one<{ r: string | number }>(
        'SELECT COALESCE(MAX(revision), 0) AS r FROM library_entries',
      );
      return Number(row.r);
    },

    /**
     * Serialises the creation of proposed classes until the transaction ends: two validations of
     * one class proposed under two slugs would otherwise both find no entry and both create one.
     */
    async lockNewClasses(): Promise<void> {
      await db.query('SELECT pg_advisory_xact_lock($1)', [NEW_CLASS_LOCK_KEY]);
    },

    /** Every entry's slug and names: what a proposed new class is compared with. */
    async names(): Promise<{ slug: string; name: { fr: string; en: string } }[]> {
      const rows = await db.query<{ slug: string; name_fr: string; name_en: string }>(
        'SELECT slug, name_fr, name_en FROM library_entries ORDER BY slug',
      );
      return rows.map((r) => ({ slug: r.slug, name: { fr: r.name_fr, en: r.name_en } }));
    },

    /** Every crop the library names, in both languages: how a crop typed in one is translated. */
    async cropNames(): Promise<{ fr: string; en: string }[]> {
      const rows = await db.query<{ crop_fr: string; crop_en: string }>(
        'SELECT DISTINCT crop_fr, crop_en FROM library_entries ORDER BY crop_fr, crop_en',
      );
      return rows.map((r) => ({ fr: r.crop_fr, en: r.crop_en }));
    },

    /** The subset of `slugs` that are library entries. */
    async existingSlugs(slugs: readonly string[]): Promise<Set<string>> {
      if (slugs.length === 0) return new Set();
      const rows = await db.query<{ slug: string }>(
        'SELECT slug FROM library_entries WHERE slug = ANY($1::text[])',
        [slugs],
      );
      return new Set(rows.map((r) => r.slug));
    },
  };
}
export type LibraryRepository = ReturnType<typeof libraryRepository>;
