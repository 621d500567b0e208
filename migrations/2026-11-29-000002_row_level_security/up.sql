-- Tenant isolation enforced by PostgreSQL itself, as a second line behind the service layer.
--
-- The server connects as inti_app: not a superuser, not the tables' owner, no BYPASSRLS, so
-- row-level security applies to every query it runs. Each transaction declares whose data it
-- may touch with set_config(..., true) (transaction-local, so nothing survives on a pooled
-- connection):
--   inti.tenant_id    the tenant the actor works in
--   inti.user_id      the acting user (their own grants and sessions span tenants)
--   inti.all_tenants  'on' only for platform work decided by the service layer
--                     (super admins' cross-tenant views, seeding, the CLI)
-- With nothing set, tenant-scoped tables show no rows and accept no writes.

DO $$
BEGIN
  CREATE ROLE inti_app LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE NOINHERIT;
EXCEPTION WHEN duplicate_object THEN
  NULL; -- roles are cluster-wide: another database of this cluster created it already
END
$$;

GRANT USAGE ON SCHEMA public TO inti_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON
  tenants, users, roles, role_permissions, user_tenant_access, services, service_endpoints,
  tenant_service_assignments, auth_sessions, refresh_tokens
  TO inti_app;
-- The audit log is append-only for the application.
GRANT SELECT, INSERT ON audit_log TO inti_app;
GRANT USAGE ON SEQUENCE audit_log_id_seq TO inti_app;

CREATE FUNCTION inti_current_tenant() RETURNS uuid LANGUAGE sql STABLE AS
  $$ SELECT nullif(current_setting('inti.tenant_id', true), '')::uuid $$;
CREATE FUNCTION inti_current_user() RETURNS uuid LANGUAGE sql STABLE AS
  $$ SELECT nullif(current_setting('inti.user_id', true), '')::uuid $$;
CREATE FUNCTION inti_all_tenants() RETURNS boolean LANGUAGE sql STABLE AS
  $$ SELECT coalesce(current_setting('inti.all_tenants', true), '') = 'on' $$;

-- Grants: a tenant sees its own; a user also sees their own grants in other tenants (login and
-- the tenant switcher need them).
ALTER TABLE user_tenant_access ENABLE ROW LEVEL SECURITY;
ALTER TABLE user_tenant_access FORCE ROW LEVEL SECURITY;
CREATE POLICY isolation ON user_tenant_access
  USING (inti_all_tenants() OR tenant_id = inti_current_tenant() OR user_id = inti_current_user())
  WITH CHECK (inti_all_tenants() OR tenant_id = inti_current_tenant());

ALTER TABLE tenant_service_assignments ENABLE ROW LEVEL SECURITY;
ALTER TABLE tenant_service_assignments FORCE ROW LEVEL SECURITY;
CREATE POLICY isolation ON tenant_service_assignments
  USING (inti_all_tenants() OR tenant_id = inti_current_tenant())
  WITH CHECK (inti_all_tenants() OR tenant_id = inti_current_tenant());

-- Roles: system roles (no tenant) are readable by all and writable by platform work only;
-- custom roles belong to their tenant, and a user can read the roles their grants name.
ALTER TABLE roles ENABLE ROW LEVEL SECURITY;
ALTER TABLE roles FORCE ROW LEVEL SECURITY;
CREATE POLICY isolation ON roles
  USING (
    tenant_id IS NULL OR inti_all_tenants() OR tenant_id = inti_current_tenant()
    OR EXISTS (SELECT 1 FROM user_tenant_access a
               WHERE a.role_id = roles.id AND a.user_id = inti_current_user()))
  WITH CHECK (inti_all_tenants() OR tenant_id = inti_current_tenant());

-- A role's permissions follow the role.
ALTER TABLE role_permissions ENABLE ROW LEVEL SECURITY;
ALTER TABLE role_permissions FORCE ROW LEVEL SECURITY;
CREATE POLICY isolation ON role_permissions
  USING (EXISTS (SELECT 1 FROM roles r WHERE r.id = role_permissions.role_id))
  WITH CHECK (EXISTS (SELECT 1 FROM roles r WHERE r.id = role_permissions.role_id
                      AND (inti_all_tenants() OR r.tenant_id = inti_current_tenant())));

-- Sessions belong to a user (who may hold them in several tenants) and to a tenant (whose
-- admins may end them).
ALTER TABLE auth_sessions ENABLE ROW LEVEL SECURITY;
ALTER TABLE auth_sessions FORCE ROW LEVEL SECURITY;
CREATE POLICY isolation ON auth_sessions
  USING (inti_all_tenants() OR user_id = inti_current_user() OR tenant_id = inti_current_tenant())
  WITH CHECK (inti_all_tenants() OR user_id = inti_current_user() OR tenant_id = inti_current_tenant());

ALTER TABLE refresh_tokens ENABLE ROW LEVEL SECURITY;
ALTER TABLE refresh_tokens FORCE ROW LEVEL SECURITY;
CREATE POLICY isolation ON refresh_tokens
  USING (EXISTS (SELECT 1 FROM auth_sessions s WHERE s.id = refresh_tokens.session_id))
  WITH CHECK (EXISTS (SELECT 1 FROM auth_sessions s WHERE s.id = refresh_tokens.session_id));

-- Audit: a tenant reads its own entries; anyone may append an entry for their tenant or for
-- no tenant (a failed login has none).
ALTER TABLE audit_log ENABLE ROW LEVEL SECURITY;
ALTER TABLE audit_log FORCE ROW LEVEL SECURITY;
CREATE POLICY isolation ON audit_log
  USING (inti_all_tenants() OR tenant_id = inti_current_tenant())
  WITH CHECK (inti_all_tenants() OR tenant_id IS NULL OR tenant_id = inti_current_tenant());

-- Authentication has to find a session before it knows whose it is. These two functions
-- answer exactly that (who owns this live session / this refresh token) and nothing more.
CREATE FUNCTION inti_session_principal(session uuid)
  RETURNS TABLE (user_id uuid, tenant_id uuid)
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public SET inti.all_tenants = 'on' AS
  $$ SELECT s.user_id, s.tenant_id FROM auth_sessions s
     WHERE s.id = session AND s.revoked_at IS NULL AND s.expires_at > now() $$;

CREATE FUNCTION inti_refresh_token_principal(hash bytea)
  RETURNS TABLE (session_id uuid, user_id uuid, tenant_id uuid)
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public SET inti.all_tenants = 'on' AS
  $$ SELECT s.id, s.user_id, s.tenant_id FROM refresh_tokens t
     JOIN auth_sessions s ON s.id = t.session_id WHERE t.token_hash = hash $$;

REVOKE ALL ON FUNCTION inti_session_principal(uuid), inti_refresh_token_principal(bytea) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION inti_session_principal(uuid), inti_refresh_token_principal(bytea) TO inti_app;
