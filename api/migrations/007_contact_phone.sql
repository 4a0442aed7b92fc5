-- A request whose client asked to be called back carries the number to call (nothing else does:
-- the app collects no phone number otherwise). Shown to the owner and the lab only.
ALTER TABLE escalations ADD COLUMN contact_phone text;
