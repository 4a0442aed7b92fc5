-- Who last wrote each canned answer, and when: the lab shares them, and a specialist about to use
-- or change one wants to know whose words they are. Both null for the six that came with
-- migration 002. An author's account is anonymised, not deleted, with their account
-- (privacy-repository hasLabRecords), so `edited_by` keeps pointing at an account.
ALTER TABLE canned_answers
  ADD COLUMN edited_by uuid REFERENCES users (id),
  ADD COLUMN edited_at timestamptz;
CREATE INDEX canned_answers_edited_by_idx ON canned_answers (edited_by);
