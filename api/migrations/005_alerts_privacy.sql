-- Alerts (notifications of kind 'alert' + subscriptions) and privacy (location access log).
-- Must run unchanged on PGlite 0.3 and PostgreSQL 15.

-- 1. Alert notifications: no case (an alert never points at someone else's case), a payload
-- instead (AlertInfo: slug, regionCode, crop, week). Lab notifications keep their case.
ALTER TABLE notifications ALTER COLUMN escalation_id DROP NOT NULL;
ALTER TABLE notifications DROP CONSTRAINT notifications_kind_check;
ALTER TABLE notifications ADD CONSTRAINT notifications_kind_check
  CHECK (kind IN ('answer', 'sample_request', 'message', 'alert'));
ALTER TABLE notifications ADD COLUMN alert jsonb;
ALTER TABLE notifications ADD CONSTRAINT notifications_alert_shape_check CHECK (
  CASE WHEN kind = 'alert' THEN alert IS NOT NULL AND escalation_id IS NULL
       ELSE alert IS NULL AND escalation_id IS NOT NULL END
);
-- One alert per (user, class, region, week), whatever the number of confirmed cases: the
-- fan-out inserts with ON CONFLICT DO NOTHING on this index.
CREATE UNIQUE INDEX notifications_alert_once_idx
  ON notifications (user_id, (alert ->> 'slug'), (alert ->> 'regionCode'), (alert ->> 'week'))
  WHERE kind = 'alert';

-- 2. Alert subscriptions: a region, optionally one crop (free label, matched case-insensitively
-- and trimmed), e-mail opt-in. One subscription per (user, region, crop); NULL crop = every crop.
CREATE TABLE alert_subscriptions (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  region_code text NOT NULL CHECK (region_code ~ '^(0[1-9]|1[0-7])$'),
  crop text CHECK (crop IS NULL OR length(btrim(crop)) > 0),
  email boolean NOT NULL DEFAULT false,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX alert_subscriptions_once_idx
  ON alert_subscriptions (user_id, region_code, (lower(btrim(coalesce(crop, '')))));
CREATE INDEX alert_subscriptions_region_idx ON alert_subscriptions (region_code);

-- 3. Who viewed a case's exact location (staff only; the owner and admins can read it).
-- viewer_id has no foreign key on purpose: the trail outlives a deleted staff account.
CREATE TABLE location_access_log (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  escalation_id uuid NOT NULL REFERENCES escalations (id) ON DELETE CASCADE,
  viewer_id uuid NOT NULL,
  viewer_role text NOT NULL,
  at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX location_access_log_escalation_idx ON location_access_log (escalation_id, at);
-- Retention purge (RETENTION_ACCESS_LOG_DAYS) deletes by age.
CREATE INDEX location_access_log_at_idx ON location_access_log (at);
