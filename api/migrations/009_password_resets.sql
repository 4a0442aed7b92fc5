-- « Mot de passe oublié » : one-time links sent by e-mail. Like sessions, only the SHA-256 of the
-- token is stored; a row lives an hour and goes when used, when a newer link is asked for, or
-- with the account.
CREATE TABLE password_resets (
  token_hash text PRIMARY KEY,
  user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  expires_at timestamptz NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX password_resets_user_idx ON password_resets (user_id);
CREATE INDEX password_resets_expires_idx ON password_resets (expires_at);
