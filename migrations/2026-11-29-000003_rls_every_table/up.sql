-- Row-level security on every table, with separate read and write rules.
--
-- Migration 2 gave each table one policy for all commands, so a read rule also allowed
-- UPDATE and DELETE (any tenant scope could delete the system roles and their permissions,
-- a user scope could insert a session for any tenant), and users, tenants and the service
-- registry had no policy at all. Here every table gets a SELECT policy (who may see a row)
-- and write policies (who may create, change or remove it), and an unscoped query sees
-- nothing anywhere.

-- Platform authority of the acting user: a live grant of the system SUPER_ADMIN role in the
-- CORE tenant. SECURITY DEFINER because it reads tenants and roles, whose own policies would
-- otherwise recurse into it.
CREATE FUNCTION inti_is_platform_admin() RETURNS boolean
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public SET inti.all_tenants = 'on' AS
  $$ SELECT EXISTS (
       SELECT 1 FROM user_tenant_access a
       JOIN roles r ON r.id = a.role_id
       JOIN tenants t ON t.id = a.tenant_id
       JOIN users u ON u.id = a.user_id
       WHERE a.user_id = nullif(current_setting('inti.user_id', true), '')::uuid
         AND a.status = 'ACTIVE' AND (a.expires_at IS NULL OR a.expires_at > now())
         AND r.is_system AND r.name = 'SUPER_ADMIN'
         AND t.type = 'CORE' AND t.status = 'ACTIVE' AND u.status = 'ACTIVE') $$;

-- Login has to find an account by email before anyone is known; this answers exactly that.
CREATE FUNCTION inti_login_credentials(login_email text)
  RETURNS TABLE (id uuid, password_hash text, status text)
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public SET inti.all_tenants = 'on' AS
  $$ SELECT u.id, u.password_hash::text, u.status FROM users u WHERE u.email = login_email $$;

-- Adding a member by email must know whether an account exists, without showing it.
CREATE FUNCTION inti_account_id(account_email text) RETURNS uuid
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public SET inti.all_tenants = 'on' AS
  $$ SELECT u.id FROM users u WHERE u.email = account_email $$;

REVOKE ALL ON FUNCTION inti_is_platform_admin(), inti_login_credentials(text), inti_account_id(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION inti_is_platform_admin(), inti_login_credentials(text), inti_account_id(text) TO inti_app;

-- Tenants: visible to their own scope, to users with a grant in them, and to platform
-- admins; only platform work creates, changes or removes them.
ALTER TABLE tenants ENABLE ROW LEVEL SECURITY;
ALTER TABLE tenants FORCE ROW LEVEL SECURITY;
CREATE POLICY tenants_read ON tenants FOR SELECT
  USING (inti_all_tenants() OR id = inti_current_tenant()
         OR EXISTS (SELECT 1 FROM user_tenant_access a
                    WHERE a.tenant_id = tenants.id AND a.user_id = inti_current_user())
         OR (SELECT inti_is_platform_admin()));
CREATE POLICY tenants_insert ON tenants FOR INSERT WITH CHECK (inti_all_tenants());
-- A tenant scope may lock its own row (SELECT ... FOR UPDATE, to count seats one add at a
-- time), which PostgreSQL checks against the UPDATE policy; the WITH CHECK still refuses
-- any actual change outside platform work.
CREATE POLICY tenants_update ON tenants FOR UPDATE
  USING (inti_all_tenants() OR id = inti_current_tenant()) WITH CHECK (inti_all_tenants());
CREATE POLICY tenants_delete ON tenants FOR DELETE USING (inti_all_tenants());

-- Users: an account is visible to itself, to its home tenant, to tenants where it holds a
-- grant, and to platform work. A tenant creates accounts whose home it is; an account is
-- changed by itself or by a tenant it belongs to; only platform work removes one.
ALTER TABLE users ENABLE ROW LEVEL SECURITY;
ALTER TABLE users FORCE ROW LEVEL SECURITY;
CREATE POLICY users_read ON users FOR SELECT
  USING (inti_all_tenants() OR id = inti_current_user() OR home_tenant_id = inti_current_tenant()
         OR EXISTS (SELECT 1 FROM user_tenant_access a
                    WHERE a.user_id = users.id AND a.tenant_id = inti_current_tenant()));
CREATE POLICY users_insert ON users FOR INSERT
  WITH CHECK (inti_all_tenants() OR home_tenant_id = inti_current_tenant());
CREATE POLICY users_update ON users FOR UPDATE
  USING (inti_all_tenants() OR id = inti_current_user() OR home_tenant_id = inti_current_tenant()
         OR EXISTS (SELECT 1 FROM user_tenant_access a
                    WHERE a.user_id = users.id AND a.tenant_id = inti_current_tenant()))
  WITH CHECK (inti_all_tenants() OR id = inti_current_user() OR home_tenant_id = inti_current_tenant()
         OR EXISTS (SELECT 1 FROM user_tenant_access a
                    WHERE a.user_id = users.id AND a.tenant_id = inti_current_tenant()));
CREATE POLICY users_delete ON users FOR DELETE USING (inti_all_tenants());

-- Grants: read by their tenant and by their holder; written by their tenant only.
DROP POLICY isolation ON user_tenant_access;
CREATE POLICY grants_read ON user_tenant_access FOR SELECT
  USING (inti_all_tenants() OR tenant_id = inti_current_tenant() OR user_id = inti_current_user());
CREATE POLICY grants_insert ON user_tenant_access FOR INSERT
  WITH CHECK (inti_all_tenants() OR tenant_id = inti_current_tenant());
CREATE POLICY grants_update ON user_tenant_access FOR UPDATE
  USING (inti_all_tenants() OR tenant_id = inti_current_tenant())
  WITH CHECK (inti_all_tenants() OR tenant_id = inti_current_tenant());
CREATE POLICY grants_delete ON user_tenant_access FOR DELETE
  USING (inti_all_tenants() OR tenant_id = inti_current_tenant());

-- Roles: system roles (no tenant) are readable by all and written by platform work only;
-- custom roles are read and written by their tenant; a user reads the roles they hold.
DROP POLICY isolation ON roles;
CREATE POLICY roles_read ON roles FOR SELECT
  USING (tenant_id IS NULL OR inti_all_tenants() OR tenant_id = inti_current_tenant()
         OR EXISTS (SELECT 1 FROM user_tenant_access a
                    WHERE a.role_id = roles.id AND a.user_id = inti_current_user()));
CREATE POLICY roles_insert ON roles FOR INSERT
  WITH CHECK (inti_all_tenants() OR tenant_id = inti_current_tenant());
CREATE POLICY roles_update ON roles FOR UPDATE
  USING (inti_all_tenants() OR tenant_id = inti_current_tenant())
  WITH CHECK (inti_all_tenants() OR tenant_id = inti_current_tenant());
CREATE POLICY roles_delete ON roles FOR DELETE
  USING (inti_all_tenants() OR tenant_id = inti_current_tenant());

DROP POLICY isolation ON role_permissions;
CREATE POLICY role_permissions_read ON role_permissions FOR SELECT
  USING (EXISTS (SELECT 1 FROM roles r WHERE r.id = role_permissions.role_id));
CREATE POLICY role_permissions_insert ON role_permissions FOR INSERT
  WITH CHECK (EXISTS (SELECT 1 FROM roles r WHERE r.id = role_permissions.role_id
                      AND (inti_all_tenants() OR r.tenant_id = inti_current_tenant())));
CREATE POLICY role_permissions_update ON role_permissions FOR UPDATE
  USING (EXISTS (SELECT 1 FROM roles r WHERE r.id = role_permissions.role_id
                 AND (inti_all_tenants() OR r.tenant_id = inti_current_tenant())))
  WITH CHECK (EXISTS (SELECT 1 FROM roles r WHERE r.id = role_permissions.role_id
                      AND (inti_all_tenants() OR r.tenant_id = inti_current_tenant())));
CREATE POLICY role_permissions_delete ON role_permissions FOR DELETE
  USING (EXISTS (SELECT 1 FROM roles r WHERE r.id = role_permissions.role_id
                 AND (inti_all_tenants() OR r.tenant_id = inti_current_tenant())));

-- Sessions: read and ended by their user or their tenant; created only by the user, in the
-- tenant the transaction acts in.
DROP POLICY isolation ON auth_sessions;
CREATE POLICY sessions_read ON auth_sessions FOR SELECT
  USING (inti_all_tenants() OR user_id = inti_current_user() OR tenant_id = inti_current_tenant());
CREATE POLICY sessions_insert ON auth_sessions FOR INSERT
  WITH CHECK (inti_all_tenants()
              OR (user_id = inti_current_user() AND tenant_id = inti_current_tenant()));
CREATE POLICY sessions_update ON auth_sessions FOR UPDATE
  USING (inti_all_tenants() OR user_id = inti_current_user() OR tenant_id = inti_current_tenant())
  WITH CHECK (inti_all_tenants() OR user_id = inti_current_user() OR tenant_id = inti_current_tenant());
CREATE POLICY sessions_delete ON auth_sessions FOR DELETE USING (inti_all_tenants());

-- Refresh tokens follow their session, and only its user writes them.
DROP POLICY isolation ON refresh_tokens;
CREATE POLICY refresh_tokens_read ON refresh_tokens FOR SELECT
  USING (EXISTS (SELECT 1 FROM auth_sessions s WHERE s.id = refresh_tokens.session_id));
CREATE POLICY refresh_tokens_insert ON refresh_tokens FOR INSERT
  WITH CHECK (EXISTS (SELECT 1 FROM auth_sessions s WHERE s.id = refresh_tokens.session_id
                      AND (inti_all_tenants() OR s.user_id = inti_current_user())));
CREATE POLICY refresh_tokens_update ON refresh_tokens FOR UPDATE
  USING (EXISTS (SELECT 1 FROM auth_sessions s WHERE s.id = refresh_tokens.session_id
                 AND (inti_all_tenants() OR s.user_id = inti_current_user())))
  WITH CHECK (EXISTS (SELECT 1 FROM auth_sessions s WHERE s.id = refresh_tokens.session_id
                      AND (inti_all_tenants() OR s.user_id = inti_current_user())));
CREATE POLICY refresh_tokens_delete ON refresh_tokens FOR DELETE USING (inti_all_tenants());

-- Service assignments: their tenant reads them; platform work writes them.
DROP POLICY isolation ON tenant_service_assignments;
CREATE POLICY assignments_read ON tenant_service_assignments FOR SELECT
  USING (inti_all_tenants() OR tenant_id = inti_current_tenant());
CREATE POLICY assignments_insert ON tenant_service_assignments FOR INSERT
  WITH CHECK (inti_all_tenants());
CREATE POLICY assignments_update ON tenant_service_assignments FOR UPDATE
  USING (inti_all_tenants()) WITH CHECK (inti_all_tenants());
CREATE POLICY assignments_delete ON tenant_service_assignments FOR DELETE USING (inti_all_tenants());

-- The service registry: any scope reads it (which services a tenant may use is decided in the
-- service layer and by the assignments); only platform work writes it.
ALTER TABLE services ENABLE ROW LEVEL SECURITY;
ALTER TABLE services FORCE ROW LEVEL SECURITY;
CREATE POLICY services_read ON services FOR SELECT
  USING (inti_all_tenants() OR inti_current_tenant() IS NOT NULL);
CREATE POLICY services_insert ON services FOR INSERT WITH CHECK (inti_all_tenants());
CREATE POLICY services_update ON services FOR UPDATE
  USING (inti_all_tenants()) WITH CHECK (inti_all_tenants());
CREATE POLICY services_delete ON services FOR DELETE USING (inti_all_tenants());

ALTER TABLE service_endpoints ENABLE ROW LEVEL SECURITY;
ALTER TABLE service_endpoints FORCE ROW LEVEL SECURITY;
CREATE POLICY endpoints_read ON service_endpoints FOR SELECT
  USING (inti_all_tenants() OR inti_current_tenant() IS NOT NULL);
CREATE POLICY endpoints_insert ON service_endpoints FOR INSERT WITH CHECK (inti_all_tenants());
CREATE POLICY endpoints_update ON service_endpoints FOR UPDATE
  USING (inti_all_tenants()) WITH CHECK (inti_all_tenants());
CREATE POLICY endpoints_delete ON service_endpoints FOR DELETE USING (inti_all_tenants());
