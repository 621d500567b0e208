DROP TRIGGER auth_sessions_notify_access ON auth_sessions;
CREATE TRIGGER auth_sessions_notify_access AFTER INSERT OR UPDATE OR DELETE ON auth_sessions
  FOR EACH ROW EXECUTE FUNCTION inti_notify_access('user_id');
REVOKE UPDATE (last_seen_at) ON auth_sessions FROM inti_app;
