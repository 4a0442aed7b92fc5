import type { PhytoDb } from '../db/db';
import { wordsOf } from '../db/search-tokens';
import type { LibraryEntryRow } from '../db/types';
import type { SearchFilters } from './library-sync';

/** Every query word must prefix-match a token (names FR/EN/scientific, crop, kind, symptoms). */
export async function searchLibrary(db: PhytoDb, f: SearchFilters): Promise<LibraryEntryRow[]> {
  const words = wordsOf(f.query);
  let rows: LibraryEntryRow[];
  if (words.length === 0) rows = await db.libraryEntries.toArray();
  else {
    const [first, ...rest] = words;
    const candidates = await db.libraryEntries
      .where('searchTokens')
      .startsWith(first)
      .distinct()
      .toArray();
    rows = candidates.filter((r) => rest.every((w) => r.searchTokens.some((t) => t.startsWith(w))));
  }
  return rows.filter((r) => (!f.kind || r.kind === f.kind) && (!f.crop || r.cropSlug === f.crop));
}
