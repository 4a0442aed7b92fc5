-- Library readers cache what they build for a library revision. Every change to library_entries
-- is announced on the `library_changed` channel (PostgreSQL delivers it at commit, to every API
-- instance listening), so a reader knows when to look again instead of asking on each request.
-- Statement-level: one notification per statement, however many rows it touched.
-- Must run unchanged on PGlite 0.3 and PostgreSQL 15.
CREATE FUNCTION notify_library_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('library_changed', '');
  RETURN NULL;
END
$$;

CREATE TRIGGER library_entries_changed
  AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON library_entries
  FOR EACH STATEMENT EXECUTE FUNCTION notify_library_changed();
