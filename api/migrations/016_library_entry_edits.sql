-- The lab writes and corrects library entries in the app (names, scientific name, look-alikes,
-- the fact sheet in both languages), typically for a class an agronomist proposed, which arrives
-- with no fact sheet.
-- `edition` counts content changes only (not new photos, which move `revision`): an editor saves
-- against the edition they opened, so two specialists editing at once cannot silently overwrite
-- each other, and a photo validated meanwhile does not spoil the save.
-- `edited_at` set means the lab edited the entry here: from then on the seed's fact-sheet files
-- no longer overwrite it. An editor's account is anonymised, not deleted, with their account
-- (privacy-repository hasLabRecords), so `edited_by` keeps pointing at an account.
ALTER TABLE library_entries
  ADD COLUMN edition integer NOT NULL DEFAULT 1,
  ADD COLUMN edited_by uuid REFERENCES users (id),
  ADD COLUMN edited_at timestamptz;
CREATE INDEX library_entries_edited_by_idx ON library_entries (edited_by);

-- What an entry held before each of the lab's saves, so a save « over » a colleague's, or a slip,
-- is never final: the editor lists them and takes one back into the form. One row per replaced
-- edition; `edited_by`/`edited_at` say who had written it (both null: the catalog and files).
CREATE TABLE library_entry_editions (
  slug text NOT NULL REFERENCES library_entries (slug) ON DELETE CASCADE,
  edition integer NOT NULL,
  content jsonb NOT NULL,
  edited_by uuid REFERENCES users (id),
  edited_at timestamptz,
  PRIMARY KEY (slug, edition)
);
CREATE INDEX library_entry_editions_edited_by_idx ON library_entry_editions (edited_by);
