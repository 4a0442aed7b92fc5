-- A message written offline is sent by the device's outbox, and may arrive twice (the answer to
-- the first try lost on the way back): its client id makes the second arrival return the first
-- message instead of writing it again. Per author, as for cases and bank submissions; messages
-- written before this (and by the lab's own screens) have none.
ALTER TABLE escalation_messages ADD COLUMN client_id uuid;
CREATE UNIQUE INDEX escalation_messages_client_idx ON escalation_messages (author_id, client_id);
