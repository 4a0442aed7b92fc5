-- One account's on-device reports over the last 24 hours, counted at each batch (a daily quota:
-- one account must not be able to paint an outbreak on the staff map). Device rows only; the
-- confirmed ones are the lab's own.
CREATE INDEX detections_device_recent_idx
  ON detections (user_id, created_at)
  WHERE source = 'device';
