import type { PhytoDb } from '../db/db';
import type { EntryDraftRow } from '../db/types';

/**
 * The lab's fact-sheet edits in progress, on the device. One per entry: an editor holds one
 * entry's form at a time, and only its author gets it back.
 */

export const keepEntryDraft = (db: PhytoDb, draft: EntryDraftRow) => db.entryDrafts.put(draft);

export async function readEntryDraft(
  db: PhytoDb,
  slug: string,
  userId: string,
): Promise<EntryDraftRow | null> {
  const draft = await db.entryDrafts.get(slug);
  return draft && draft.userId === userId ? draft : null;
}

export const dropEntryDraft = (db: PhytoDb, slug: string) => db.entryDrafts.delete(slug);
