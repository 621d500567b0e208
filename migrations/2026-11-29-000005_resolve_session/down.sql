DROP FUNCTION IF EXISTS inti_resolve_session(uuid);
