-- Whether the lab's response to the person's requests (an answer, a sample request, a message) is
-- also e-mailed; the app's notifications come either way. On by default: a producer who sent a
-- case from a field with no signal learns that the lab answered without opening the app daily.
-- One e-mail per request until the person reads it in the app (notifications.read_at).
ALTER TABLE users ADD COLUMN mail_case_updates boolean NOT NULL DEFAULT true;
