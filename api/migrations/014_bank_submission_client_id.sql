-- Photos for the bank can be queued on a device with no signal and sent later, by the page or
-- again after an answer lost on the way back: the device's id for the submission makes a resend
-- return the submission it already made instead of a 409 IMAGE_ALREADY_IN_BANK (or a second
-- submission). NULL for uploads from before it and from clients that send none: NULLs never clash.
ALTER TABLE bank_submissions ADD COLUMN client_id uuid;
ALTER TABLE bank_submissions
  ADD CONSTRAINT bank_submissions_client_key UNIQUE (submitter_id, client_id);
