-- A session's `last_seen_at` is written as it is used (at most every few minutes): the
-- account's sessions page shows it. That write changes nothing about who may act, so it no
-- longer tells every node's access cache to drop the user's entries.
GRANT UPDATE (last_seen_at) ON auth_sessions TO inti_app;
DROP TRIGGER auth_sessions_notify_access ON auth_sessions;
CREATE TRIGGER auth_sessions_notify_access
  AFTER INSERT OR DELETE OR UPDATE OF user_id, tenant_id, kind, expires_at, revoked_at, revoked_reason
  ON auth_sessions FOR EACH ROW EXECUTE FUNCTION inti_notify_access('user_id');
