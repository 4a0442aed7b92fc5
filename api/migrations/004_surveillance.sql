-- Territorial surveillance: detections (on-device reports with consent, and specialist-confirmed
-- cases), a weekly rollup kept fresh in the same transaction as every write, and consents.
-- Must run unchanged on PGlite 0.3 and PostgreSQL 15.
-- Privacy: a detection never holds coordinates; only a region / MRC code and a week.

-- 1. Consents (opt-in, default off) and their history.
ALTER TABLE users
  ADD COLUMN consent_location boolean NOT NULL DEFAULT false,
  ADD COLUMN consent_share_detections boolean NOT NULL DEFAULT false;

CREATE TABLE consent_events (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  consent text NOT NULL CHECK (consent IN ('location', 'shareDetections')),
  granted boolean NOT NULL,
  at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX consent_events_user_idx ON consent_events (user_id, at DESC);

-- 2. Raw detections. user_id is SET NULL when the person is deleted: the anonymous counts stay.
CREATE TABLE detections (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  -- Device reports only: generated on the device, so a resubmission is a no-op.
  client_id uuid,
  user_id uuid REFERENCES users (id) ON DELETE SET NULL,
  source text NOT NULL CHECK (source IN ('device', 'confirmed')),
  -- Confirmed only: at most one detection per case, whatever the number of answers.
  escalation_id uuid UNIQUE REFERENCES escalations (id) ON DELETE SET NULL,
  -- null when the model abstained without a class.
  class_slug text,
  kind text CHECK (kind IN ('disease', 'insect', 'weed', 'healthy')),
  crop text,
  region_code text CHECK (region_code ~ '^(0[1-9]|1[0-7])$'),
  mrc_code text CHECK (mrc_code ~ '^[0-9]{2,3}$'),
  -- Monday of the ISO week of the observation.
  week_start date NOT NULL CHECK (extract(isodow FROM week_start) = 1),
  confidence real CHECK (confidence BETWEEN 0 AND 1),
  abstained boolean NOT NULL DEFAULT false,
  model_version text,
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (user_id, client_id),
  CHECK ((source = 'device') = (client_id IS NOT NULL)),
  CHECK (class_slug IS NOT NULL OR abstained),
  CHECK ((class_slug IS NULL) = (kind IS NULL))
);
CREATE INDEX detections_week_idx ON detections (week_start);
CREATE INDEX detections_user_idx ON detections (user_id);

-- 3. Weekly rollups read by every dashboard query (never the raw table). Abstentions are not
-- detections and are not counted here. '' stands for "unknown" so the key can be a plain primary
-- key (NULLs would never conflict); queries turn '' back into null. One row per cell with both
-- counts (the table view is then a plain ordered read, no GROUP BY). Byte-order collation: the
-- table's sort order (week desc, region, MRC, class, crop) is an index order, the same on PGlite
-- and PostgreSQL, so a LIMITed table query reads only the rows it returns.
CREATE TABLE detection_weekly (
  week_start date NOT NULL,
  region_code text COLLATE "C" NOT NULL DEFAULT '',
  mrc_code text COLLATE "C" NOT NULL DEFAULT '',
  class_slug text COLLATE "C" NOT NULL,
  kind text COLLATE "C" NOT NULL,
  crop text COLLATE "C" NOT NULL DEFAULT '',
  confirmed integer NOT NULL DEFAULT 0 CHECK (confirmed >= 0),
  device integer NOT NULL DEFAULT 0 CHECK (device >= 0),
  PRIMARY KEY (week_start, region_code, mrc_code, class_slug, kind, crop)
);
CREATE INDEX detection_weekly_table_idx
  ON detection_weekly (week_start DESC, region_code, mrc_code, class_slug, kind, crop);
-- Filters on one class or one region over a period.
CREATE INDEX detection_weekly_slug_idx ON detection_weekly (class_slug, week_start);
CREATE INDEX detection_weekly_region_idx ON detection_weekly (region_code, week_start);

-- The same without the MRC: what the region map, the series and the public view read (several
-- times fewer rows than the MRC rollup on a dense year).
CREATE TABLE detection_weekly_region (
  week_start date NOT NULL,
  region_code text COLLATE "C" NOT NULL DEFAULT '',
  class_slug text COLLATE "C" NOT NULL,
  kind text COLLATE "C" NOT NULL,
  crop text COLLATE "C" NOT NULL DEFAULT '',
  confirmed integer NOT NULL DEFAULT 0 CHECK (confirmed >= 0),
  device integer NOT NULL DEFAULT 0 CHECK (device >= 0),
  PRIMARY KEY (week_start, region_code, class_slug, kind, crop)
);

-- 4. On-device reports per week, abstentions included (service indicators: "diagnoses on the
-- device"), maintained with the rollup.
CREATE TABLE detection_weekly_reports (
  week_start date PRIMARY KEY,
  reports integer NOT NULL CHECK (reports >= 0),
  abstained integer NOT NULL CHECK (abstained >= 0)
);
