-- A refused bank photo may be sent again (a crop enemy relabelled, a reason answered): the photo
-- is unique among the bank's live images only, not over refused ones, which keep their history.
ALTER TABLE bank_images DROP CONSTRAINT bank_images_sha256_key;
CREATE UNIQUE INDEX bank_images_sha256_live ON bank_images (sha256) WHERE status <> 'rejected';
CREATE INDEX bank_images_sha256_idx ON bank_images (sha256);

-- A curator can take a validated photo back out of the bank (a mislabelled batch would otherwise
-- stay in every later training): it becomes 'rejected' with its reason, and this says it had
-- been validated first, so its author reads « retirée » rather than « refusée ».
ALTER TABLE bank_images ADD COLUMN withdrawn_at timestamptz;

-- The photos of a submission in the order they were sent: « photo 2 sur 3 » for the curator is the
-- author's photo 2 (one transaction's rows share their created_at).
ALTER TABLE bank_images ADD COLUMN position integer;

-- A retraining queued by a withdrawal counts the photos it takes out, as it counts the new ones:
-- « 1 nouvelle photo » for a photo validated then withdrawn before the training ran was untrue.
ALTER TABLE training_requests ADD COLUMN removed_images integer NOT NULL DEFAULT 0;

-- Who gave which role to whom, and when: a right to the lab's data changed, and the team screen
-- says so. `changed_by` is NULL for a role given on the command line (`npm run user:role`, the
-- first administrator). An admin who gave roles is kept, anonymised, if their account is deleted
-- (privacy-repository hasLabRecords), so the record still points at an account.
CREATE TABLE role_changes (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  changed_by uuid REFERENCES users (id),
  from_role text NOT NULL,
  to_role text NOT NULL,
  changed_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX role_changes_user_idx ON role_changes (user_id, changed_at DESC);
CREATE INDEX role_changes_changed_by_idx ON role_changes (changed_by);
