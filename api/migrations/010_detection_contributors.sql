-- The public view and the context priors counted confirmations, so one farm that sent three cases
-- of one disease in one week made a public cell by itself, and an alert reached every subscriber
-- of the region at the first confirmation. They now count distinct farms (contributors).
--
-- contributor: who a detection came from, for counting distinct farms only. It is the account's
-- id when written and is NOT a foreign key: when the account is deleted, user_id becomes null and
-- the contributor is replaced by a random id shared by that person's rows (so their rows still
-- count as one farm, and nothing links them to the account any more). A detection with no account
-- (synthetic demo data) is its own contributor: the default.
ALTER TABLE detections ADD COLUMN contributor uuid;
UPDATE detections SET contributor = COALESCE(user_id, id);
ALTER TABLE detections
  ALTER COLUMN contributor SET NOT NULL,
  ALTER COLUMN contributor SET DEFAULT gen_random_uuid();

-- What the public view and the context priors read: confirmed detections only (a small share of
-- the rows), covering every column they use, so the distinct count is an index-only read.
CREATE INDEX detections_public_idx
  ON detections (week_start, region_code, class_slug, contributor)
  WHERE source = 'confirmed' AND NOT abstained AND kind <> 'healthy';
