-- Lab side of the loop: full escalation workflow, thread photos, notifications, ratings,
-- canned answers, AI-vs-specialist agreement, image-bank submissions, retraining requests.
-- Must run unchanged on PGlite 0.3 and PostgreSQL 15.

-- 1. Escalations: the sample_received step, the human case reference, consent, assignee.
ALTER TABLE escalations DROP CONSTRAINT escalations_status_check;
ALTER TABLE escalations ADD CONSTRAINT escalations_status_check CHECK (
  status IN ('received', 'in_review', 'answered', 'sample_requested', 'sample_received', 'closed')
);
ALTER TABLE escalations
  ADD COLUMN consent_photo_reuse boolean NOT NULL DEFAULT false,
  -- "PD-2026-000123", written by the producer on the physical sample; set at the first request.
  ADD COLUMN case_ref text UNIQUE,
  ADD COLUMN sample_instructions text,
  ADD COLUMN sample_received_at timestamptz,
  ADD COLUMN claimed_by uuid REFERENCES users (id);
CREATE SEQUENCE escalation_case_ref_seq;
-- Per-user rate limit and duplicate detection look at a user's recent / open cases.
CREATE INDEX escalations_user_created_idx ON escalations (user_id, created_at);
CREATE INDEX escalation_photos_sha256_idx ON escalation_photos (sha256);

-- 2. Answers: a library slug OR a free-text diagnosis ("other"), recommendations, the canned
-- answer used, and whether the on-device prediction agreed (null: no prediction / not a class).
ALTER TABLE escalation_answers ALTER COLUMN diagnosis_slug DROP NOT NULL;
ALTER TABLE escalation_answers
  ADD COLUMN diagnosis_text text,
  ADD COLUMN recommendations text,
  ADD COLUMN canned_answer_id text,
  ADD COLUMN model_version text,
  ADD COLUMN top1_agree boolean,
  ADD COLUMN top3_agree boolean,
  ADD CONSTRAINT escalation_answers_diagnosis_check
    CHECK (diagnosis_slug IS NOT NULL OR diagnosis_text IS NOT NULL);

-- 3. Photos attached to thread messages (stored through the media service, like case photos).
CREATE TABLE escalation_message_photos (
  message_id uuid NOT NULL REFERENCES escalation_messages (id) ON DELETE CASCADE,
  position integer NOT NULL,
  media_key text NOT NULL,
  sha256 text NOT NULL,
  width integer NOT NULL,
  height integer NOT NULL,
  PRIMARY KEY (message_id, position)
);

-- 4. Producer notifications (answer, sample request, specialist message).
CREATE TABLE notifications (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  escalation_id uuid NOT NULL REFERENCES escalations (id) ON DELETE CASCADE,
  kind text NOT NULL CHECK (kind IN ('answer', 'sample_request', 'message')),
  created_at timestamptz NOT NULL DEFAULT now(),
  read_at timestamptz
);
CREATE INDEX notifications_user_idx ON notifications (user_id, created_at DESC);

-- 5. One satisfaction rating per case, by its owner.
CREATE TABLE escalation_ratings (
  escalation_id uuid PRIMARY KEY REFERENCES escalations (id) ON DELETE CASCADE,
  user_id uuid NOT NULL REFERENCES users (id),
  score integer NOT NULL CHECK (score BETWEEN 1 AND 5),
  comment text,
  created_at timestamptz NOT NULL DEFAULT now()
);

-- 6. Canned answers. No foreign key to the library: entries are seeded after migrations from
-- IMAGEBANK_DIR; the API only offers canned answers whose slug exists.
CREATE TABLE canned_answers (
  id text PRIMARY KEY,
  slug text NOT NULL,
  title_fr text NOT NULL,
  title_en text NOT NULL,
  message_fr text NOT NULL,
  message_en text NOT NULL,
  recommendations_fr text NOT NULL,
  recommendations_en text NOT NULL,
  position integer NOT NULL DEFAULT 0
);
INSERT INTO canned_answers
  (id, slug, title_fr, title_en, message_fr, message_en, recommendations_fr, recommendations_en, position)
VALUES
  ('potato-late-blight', 'potato_late_blight',
   'Mildiou de la pomme de terre confirmé', 'Potato late blight confirmed',
   'Les lésions brun-noir à marge pâle, avec un duvet blanc à la face inférieure par temps humide, correspondent au mildiou (Phytophthora infestans).',
   'The brown-black lesions with a pale margin and white down on the underside in humid weather match late blight (Phytophthora infestans).',
   'Protégez rapidement le reste du champ avec un fongicide homologué, détruisez les foyers et les repousses, et surveillez les avertissements du RAP.',
   'Protect the rest of the field quickly with a registered fungicide, destroy hot spots and volunteers, and follow the RAP warnings.', 1),
  ('potato-early-blight', 'potato_early_blight',
   'Alternariose (brûlure hâtive)', 'Early blight (Alternaria)',
   'Les taches brunes à anneaux concentriques, d''abord sur les vieilles feuilles, sont typiques de l''alternariose.',
   'Brown spots with concentric rings, first on older leaves, are typical of early blight.',
   'Maintenez une fertilisation azotée suffisante, évitez le stress hydrique et traitez si la maladie progresse vers le haut du plant.',
   'Keep nitrogen adequate, avoid water stress and spray if the disease moves up the plant.', 2),
  ('tomato-late-blight', 'tomato_late_blight',
   'Mildiou de la tomate', 'Tomato late blight',
   'Les grandes plages brunes et huileuses sur feuilles, tiges et fruits indiquent le mildiou.',
   'Large greasy brown patches on leaves, stems and fruit indicate late blight.',
   'Retirez et détruisez les plants atteints (ne pas composter), aérez la culture et protégez les plants sains.',
   'Remove and destroy affected plants (do not compost), improve air flow and protect healthy plants.', 3),
  ('apple-scab', 'apple_scab',
   'Tavelure du pommier', 'Apple scab',
   'Les taches olivâtres veloutées sur feuilles et fruits sont caractéristiques de la tavelure.',
   'Olive, velvety spots on leaves and fruit are characteristic of apple scab.',
   'Ajustez la protection aux périodes d''infection primaire et ramassez ou déchiquetez les feuilles tombées à l''automne.',
   'Time protection to primary infection periods and shred or remove fallen leaves in the fall.', 4),
  ('corn-common-rust', 'corn_common_rust',
   'Rouille commune du maïs', 'Common rust of corn',
   'Les pustules brun-rouge poudreuses sur les deux faces des feuilles indiquent la rouille commune.',
   'Powdery red-brown pustules on both leaf surfaces indicate common rust.',
   'Un traitement est rarement rentable au Québec; notez la sensibilité de l''hybride pour le choix de l''an prochain.',
   'Spraying rarely pays off in Quebec; note the hybrid''s susceptibility for next year''s choice.', 5),
  ('thrips', 'insect_thrips',
   'Thrips', 'Thrips',
   'Les plages argentées parsemées de points noirs et les petits insectes allongés correspondent à des thrips.',
   'Silvery patches dotted with black specks and small elongated insects match thrips.',
   'Dépistez avec des pièges collants bleus, favorisez les ennemis naturels et n''intervenez qu''au seuil recommandé.',
   'Scout with blue sticky traps, favour natural enemies and act only at the recommended threshold.', 6);

-- 7. Image bank submissions by agronomists. A submission is a batch; each photo is a bank
-- image (pending until a curator validates or rejects it). A proposed class has no library
-- entry yet: its images carry class_slug NULL until validation creates the entry.
CREATE TABLE bank_submissions (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  submitter_id uuid NOT NULL REFERENCES users (id),
  class_slug text REFERENCES library_entries (slug) ON UPDATE CASCADE,
  proposed_class jsonb,
  crop text NOT NULL,
  taken_on date,
  region_code text,
  author_credit text NOT NULL,
  licence text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  CHECK ((class_slug IS NULL) <> (proposed_class IS NULL))
);
CREATE INDEX bank_submissions_submitter_idx ON bank_submissions (submitter_id, created_at);

ALTER TABLE bank_images ALTER COLUMN class_slug DROP NOT NULL;
ALTER TABLE bank_images
  ADD COLUMN submission_id uuid REFERENCES bank_submissions (id) ON DELETE CASCADE,
  ADD COLUMN escalation_id uuid REFERENCES escalations (id) ON DELETE SET NULL,
  ADD COLUMN reviewed_by uuid REFERENCES users (id),
  ADD COLUMN reviewed_at timestamptz,
  ADD COLUMN reject_reason text,
  -- Only images of a known class can be validated (and so reach the library).
  ADD CONSTRAINT bank_images_validated_class_check
    CHECK (status <> 'validated' OR class_slug IS NOT NULL);
CREATE INDEX bank_images_submission_idx ON bank_images (submission_id);

-- 8. Retraining requests. At most one is queued at a time: new validated images join it.
-- A runner claims it with UPDATE ... WHERE id = (SELECT ... FOR UPDATE SKIP LOCKED), which
-- works from a pg-boss worker (PostgreSQL) and from an in-process runner (PGlite) alike.
CREATE TABLE training_requests (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  status text NOT NULL DEFAULT 'queued'
    CHECK (status IN ('queued', 'running', 'succeeded', 'failed')),
  reason text NOT NULL,
  new_images integer NOT NULL DEFAULT 0,
  requested_by uuid REFERENCES users (id),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  started_at timestamptz,
  finished_at timestamptz,
  error text,
  result jsonb
);
CREATE UNIQUE INDEX training_requests_one_queued ON training_requests ((true))
  WHERE status = 'queued';
