-- Phytodiag v1 schema. Must run unchanged on PGlite 0.3 and PostgreSQL 15.

CREATE TABLE users (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  email text NOT NULL UNIQUE CHECK (email = lower(email)),
  password_hash text NOT NULL,
  role text NOT NULL DEFAULT 'producer'
    CHECK (role IN ('producer', 'agronomist', 'specialist', 'admin')),
  display_name text,
  profile_kind text NOT NULL DEFAULT 'producer'
    CHECK (profile_kind IN ('producer', 'advisor', 'gardener')),
  crops text[] NOT NULL DEFAULT '{}',
  region_code text,
  language text NOT NULL DEFAULT 'fr' CHECK (language IN ('fr', 'en')),
  created_at timestamptz NOT NULL DEFAULT now()
);

-- Only the sha256 of the cookie token is stored: a database leak does not leak sessions.
CREATE TABLE sessions (
  token_hash text PRIMARY KEY,
  user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  expires_at timestamptz NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX sessions_user_idx ON sessions (user_id);
CREATE INDEX sessions_expires_idx ON sessions (expires_at);

-- Revisions come from one sequence so that "changed since N" is a simple comparison (delta sync).
CREATE SEQUENCE library_revision_seq;

CREATE TABLE library_entries (
  slug text PRIMARY KEY,
  kind text NOT NULL CHECK (kind IN ('disease', 'insect', 'weed', 'healthy')),
  crop_fr text NOT NULL,
  crop_en text NOT NULL,
  name_fr text NOT NULL,
  name_en text NOT NULL,
  scientific_name text,
  fact_sheet jsonb,
  look_alikes text[] NOT NULL DEFAULT '{}',
  updated_at timestamptz NOT NULL DEFAULT now(),
  revision bigint NOT NULL DEFAULT nextval('library_revision_seq')
);
CREATE INDEX library_entries_revision_idx ON library_entries (revision);

CREATE TABLE bank_images (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  class_slug text NOT NULL REFERENCES library_entries (slug) ON UPDATE CASCADE,
  media_key text NOT NULL,
  sha256 text NOT NULL UNIQUE,
  width integer NOT NULL,
  height integer NOT NULL,
  author_credit text NOT NULL,
  licence text NOT NULL,
  status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'validated', 'rejected')),
  source text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX bank_images_class_idx ON bank_images (class_slug, status);

CREATE TABLE escalations (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  client_id uuid NOT NULL,
  user_id uuid NOT NULL REFERENCES users (id),
  status text NOT NULL DEFAULT 'received'
    CHECK (status IN ('received', 'in_review', 'answered', 'sample_requested', 'closed')),
  crop text NOT NULL,
  description text NOT NULL,
  prediction jsonb,
  location_lat double precision,
  location_lon double precision,
  location_accuracy_m double precision,
  region_code text,
  profile_kind text NOT NULL CHECK (profile_kind IN ('producer', 'advisor', 'gardener')),
  contact_preference text,
  created_at timestamptz NOT NULL DEFAULT now(),
  answered_at timestamptz,
  -- Idempotency of offline resubmissions from the PWA outbox.
  UNIQUE (user_id, client_id),
  CHECK ((location_lat IS NULL) = (location_lon IS NULL))
);
CREATE INDEX escalations_queue_idx ON escalations (status, created_at);

CREATE TABLE escalation_photos (
  escalation_id uuid NOT NULL REFERENCES escalations (id) ON DELETE CASCADE,
  position integer NOT NULL,
  media_key text NOT NULL,
  sha256 text NOT NULL,
  width integer NOT NULL,
  height integer NOT NULL,
  PRIMARY KEY (escalation_id, position)
);

CREATE TABLE escalation_messages (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  escalation_id uuid NOT NULL REFERENCES escalations (id) ON DELETE CASCADE,
  author_id uuid NOT NULL REFERENCES users (id),
  body text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX escalation_messages_escalation_idx ON escalation_messages (escalation_id, created_at);

CREATE TABLE escalation_status_history (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  escalation_id uuid NOT NULL REFERENCES escalations (id) ON DELETE CASCADE,
  from_status text,
  to_status text NOT NULL,
  actor_id uuid REFERENCES users (id),
  at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX escalation_status_history_idx ON escalation_status_history (escalation_id, id);

CREATE TABLE escalation_answers (
  escalation_id uuid PRIMARY KEY REFERENCES escalations (id) ON DELETE CASCADE,
  specialist_id uuid NOT NULL REFERENCES users (id),
  diagnosis_slug text NOT NULL REFERENCES library_entries (slug) ON UPDATE CASCADE,
  message text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE model_versions (
  version text PRIMARY KEY,
  created_at timestamptz NOT NULL DEFAULT now(),
  metrics jsonb,
  status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'retired')),
  is_current boolean NOT NULL DEFAULT false
);
-- At most one current model.
CREATE UNIQUE INDEX model_versions_one_current ON model_versions (is_current) WHERE is_current;
