-- Bank photos given for the lab's use only are no longer published (library, /images/): they
-- train the model and stay in the lab. The entries that showed such a photo get a new revision,
-- so that devices fetch them again and drop their copy of it with the library's next sync.
UPDATE library_entries
   SET updated_at = now(), revision = nextval('library_revision_seq')
 WHERE slug IN (SELECT class_slug FROM bank_images
                 WHERE status = 'validated' AND licence = 'lab-use-only');
