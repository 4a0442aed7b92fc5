-- The model learns: retraining outcomes and the non-regression gate.
-- A retraining request may end 'rejected' (the gate refused the new model: result holds why).
ALTER TABLE training_requests DROP CONSTRAINT training_requests_status_check;
ALTER TABLE training_requests ADD CONSTRAINT training_requests_status_check
  CHECK (status IN ('queued', 'running', 'succeeded', 'failed', 'rejected'));

-- Every trained version is recorded: 'published' (passed the gate, may be made current) or
-- 'rejected' (kept on disk, never current). 'active'/'retired' remain for versions registered
-- from MODEL_DIR at start-up (exported by the CLI), which count as published.
ALTER TABLE model_versions DROP CONSTRAINT model_versions_status_check;
ALTER TABLE model_versions ADD CONSTRAINT model_versions_status_check
  CHECK (status IN ('active', 'retired', 'published', 'rejected'));
ALTER TABLE model_versions ADD COLUMN gate jsonb;
ALTER TABLE model_versions ADD COLUMN training_request_id uuid REFERENCES training_requests (id);
ALTER TABLE model_versions ADD CONSTRAINT model_versions_current_not_rejected
  CHECK (NOT (is_current AND status = 'rejected'));
