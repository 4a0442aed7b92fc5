import { isDeepStrictEqual } from 'node:util';
import { AppError } from '../errors';
import type { Db } from '../db/types';
import { createRepositories } from '../repositories';
import type {
  EarlierEdition,
  EditableRecord,
  LibraryContent,
} from '../repositories/library-repository';
import type {
  EarlierLibraryEditionContent,
  EditableLibraryEntry,
  LibraryEntryEdit,
  LibraryEntryEditBody,
} from '../contract/library-edit';
import type { User } from '../contract/user';
import { ANONYMISED_EMAIL } from './auth-service';

/** Every string of a value, trimmed: a textarea's trailing newline is not content. */
function trimmed<T>(value: T): T {
  if (typeof value === 'string') return value.trim() as T;
  if (Array.isArray(value)) return value.map(trimmed) as T;
  if (value && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, trimmed(v)])) as T;
  return value;
}

const contentOf = (r: LibraryContent): LibraryContent => ({
  name: r.name,
  crop: r.crop,
  scientificName: r.scientificName,
  lookAlikes: r.lookAlikes,
  factSheet: r.factSheet,
});

function toEdit(edited: EarlierEdition['edited']): LibraryEntryEdit | null {
  return (
    edited && {
      at: edited.at,
      // A deleted editor's anonymised address says nothing to the reader.
      by: edited.byEmail === null || ANONYMISED_EMAIL.test(edited.byEmail) ? null : edited.byEmail,
    }
  );
}

function toEditable(r: EditableRecord, earlier: EarlierEdition[]): EditableLibraryEntry {
  return {
    slug: r.slug,
    kind: r.kind,
    name: r.name,
    crop: r.crop,
    scientificName: r.scientificName,
    lookAlikes: r.lookAlikes,
    factSheet: r.factSheet,
    edition: r.edition,
    lastEdit: toEdit(r.edited),
    earlier: earlier.map((x) => ({ edition: x.edition, lastEdit: toEdit(x.edited) })),
  };
}

/**
 * The lab writes and corrects library entries: a proposed class arrives with no fact sheet, and a
 * sheet's advice ages. An edit is saved against the edition its author opened, so a colleague's
 * save in between is never silently overwritten.
 */
export function createLibraryEditService(deps: { db: Db; onLibraryChanged: () => void }) {
  const { db, onLibraryChanged } = deps;

  async function editable(slug: string): Promise<EditableLibraryEntry> {
    const repos = createRepositories(db);
    const r = await repos.library.findEditable(slug);
    if (!r) throw new AppError('UNKNOWN_SLUG', 404, { slug });
    return toEditable(r, await repos.library.earlierEditions(slug));
  }

  return {
    editable,

    /** An earlier edition, to take back into the editor's form (then saved as a new one). */
    async earlier(slug: string, edition: number): Promise<EarlierLibraryEditionContent> {
      const content = await createRepositories(db).library.earlierEdition(slug, edition);
      if (!content) throw new AppError('NOT_FOUND');
      return { edition, ...contentOf(content) };
    },

    async edit(
      viewer: User,
      slug: string,
      body: LibraryEntryEditBody,
    ): Promise<EditableLibraryEntry> {
      const content = trimmed(contentOf(body));
      const changed = await db.transaction(async (tx) => {
        const repos = createRepositories(tx);
        const current = await repos.library.findEditable(slug, true);
        if (!current) throw new AppError('UNKNOWN_SLUG', 404, { slug });
        if (current.edition !== body.edition) throw new AppError('LIBRARY_EDIT_CONFLICT');
        if (content.factSheet === null && current.factSheet !== null)
          throw new AppError('FACT_SHEET_REQUIRED');
        const known = await repos.library.existingSlugs(content.lookAlikes);
        const wrong = content.lookAlikes.find((s) => s === slug || !known.has(s));
        if (wrong !== undefined) throw new AppError('INVALID_LOOK_ALIKE', 422, { slug: wrong });
        // Saving what is there already must not make every device download the entry again.
        if (isDeepStrictEqual(content, contentOf(current))) return false;
        await repos.library.edit(slug, content, viewer.id);
        return true;
      });
      if (changed) onLibraryChanged();
      return editable(slug);
    },
  };
}
export type LibraryEditService = ReturnType<typeof createLibraryEditService>;
