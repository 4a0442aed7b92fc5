-- A requester's message (an answer to the lab's question, « le traitement n'a pas marché ») must
-- reach the lab: when the owner writes, the case records since when a reply waits for the lab;
-- any lab message or status change by staff clears it. The queue puts such a case among those
-- the lab owes a response, and shows why.
ALTER TABLE escalations ADD COLUMN reply_waiting_since timestamptz;
