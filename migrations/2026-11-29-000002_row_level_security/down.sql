-- The inti_app role is cluster-wide and may serve other databases, so it is kept; its
-- privileges on this database are removed.
DROP FUNCTION IF EXISTS inti_refresh_token_principal(bytea);
DROP FUNCTION IF EXISTS inti_session_principal(uuid);
DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['user_tenant_access', 'tenant_service_assignments', 'roles',
                           'role_permissions', 'auth_sessions', 'refresh_tokens', 'audit_log'] LOOP
    EXECUTE format('DROP POLICY IF EXISTS isolation ON %I', t);
    EXECUTE format('ALTER TABLE %I NO FORCE ROW LEVEL SECURITY', t);
    EXECUTE format('ALTER TABLE %I DISABLE ROW LEVEL SECURITY', t);
  END LOOP;
END
$$;
DROP FUNCTION IF EXISTS inti_all_tenants();
DROP FUNCTION IF EXISTS inti_current_user();
DROP FUNCTION IF EXISTS inti_current_tenant();
REVOKE ALL ON ALL TABLES IN SCHEMA public FROM inti_app;
REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM inti_app;
REVOKE USAGE ON SCHEMA public FROM inti_app;
