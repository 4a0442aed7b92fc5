-- Who handed a password link to whom, and when. An admin gives it on the caller's word (by phone,
-- no mail server), a way into someone else's account: it is recorded where the other admins see
-- it (« Équipe »), not only in the server log. Links sent by e-mail to the account's own address
-- are not listed. An admin who gave links is anonymised, not deleted, with their account
-- (privacy-repository hasLabRecords), so `given_by` always points at an account.
CREATE TABLE password_links_given (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  given_by uuid NOT NULL REFERENCES users (id),
  given_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX password_links_given_user_idx ON password_links_given (user_id, given_at DESC);
CREATE INDEX password_links_given_by_idx ON password_links_given (given_by);
