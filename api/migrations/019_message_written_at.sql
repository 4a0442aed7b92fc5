-- When a message was written on the device, when it differs from its arrival: a message written
-- in a field with no signal reaches the lab hours later, and the specialist should know that
-- « les taches gagnent » was true at 14 h, not at 19 h. Null when not given (the lab's own, older
-- messages) or not believable (a device clock in the future, or more than 30 days back).
ALTER TABLE escalation_messages ADD COLUMN written_at timestamptz;
