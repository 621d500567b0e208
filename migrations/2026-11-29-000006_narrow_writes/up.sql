-- Narrower writes as a second line behind the service layer: the server's role may change
-- only the columns the application changes, so no scope can move a session to another user,
-- re-point a refresh token or an invitation, or rewrite an account's email. Accounts are
-- changed by themselves or their home tenant only; grants name a system role or one of their
-- own tenant's roles; invitations change status in their tenant's scope only.
REVOKE UPDATE ON auth_sessions, refresh_tokens, users, invitations FROM inti_app;
GRANT UPDATE (revoked_at, revoked_reason) ON auth_sessions TO inti_app;
GRANT UPDATE (rotated_at) ON refresh_tokens TO inti_app;
GRANT UPDATE (name, password_hash, password_changed_at, last_login_at, current_tenant_id, status)
  ON users TO inti_app;
GRANT UPDATE (status, responded_at, role_id, access_expires_at, invited_by) ON invitations TO inti_app;

DROP POLICY users_update ON users;
CREATE POLICY users_update ON users FOR UPDATE
  USING (inti_all_tenants() OR id = inti_current_user() OR home_tenant_id = inti_current_tenant())
  WITH CHECK (inti_all_tenants() OR id = inti_current_user() OR home_tenant_id = inti_current_tenant());

DROP POLICY invitations_update ON invitations;
CREATE POLICY invitations_update ON invitations FOR UPDATE
  USING (inti_all_tenants() OR tenant_id = inti_current_tenant())
  WITH CHECK (inti_all_tenants() OR tenant_id = inti_current_tenant());

DROP POLICY grants_insert ON user_tenant_access;
CREATE POLICY grants_insert ON user_tenant_access FOR INSERT
  WITH CHECK (inti_all_tenants()
              OR (tenant_id = inti_current_tenant()
                  AND EXISTS (SELECT 1 FROM roles r WHERE r.id = user_tenant_access.role_id
                              AND (r.tenant_id IS NULL OR r.tenant_id = user_tenant_access.tenant_id))));
DROP POLICY grants_update ON user_tenant_access;
CREATE POLICY grants_update ON user_tenant_access FOR UPDATE
  USING (inti_all_tenants() OR tenant_id = inti_current_tenant())
  WITH CHECK (inti_all_tenants()
              OR (tenant_id = inti_current_tenant()
                  AND EXISTS (SELECT 1 FROM roles r WHERE r.id = user_tenant_access.role_id
                              AND (r.tenant_id IS NULL OR r.tenant_id = user_tenant_access.tenant_id))));
