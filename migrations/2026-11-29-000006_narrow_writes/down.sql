DROP POLICY grants_update ON user_tenant_access;
CREATE POLICY grants_update ON user_tenant_access FOR UPDATE
  USING (inti_all_tenants() OR tenant_id = inti_current_tenant())
  WITH CHECK (inti_all_tenants() OR tenant_id = inti_current_tenant());
DROP POLICY grants_insert ON user_tenant_access;
CREATE POLICY grants_insert ON user_tenant_access FOR INSERT
  WITH CHECK (inti_all_tenants() OR tenant_id = inti_current_tenant());
DROP POLICY invitations_update ON invitations;
CREATE POLICY invitations_update ON invitations FOR UPDATE
  USING (inti_all_tenants() OR tenant_id = inti_current_tenant() OR user_id = inti_current_user())
  WITH CHECK (inti_all_tenants() OR tenant_id = inti_current_tenant() OR user_id = inti_current_user());
DROP POLICY users_update ON users;
CREATE POLICY users_update ON users FOR UPDATE
  USING (inti_all_tenants() OR id = inti_current_user() OR home_tenant_id = inti_current_tenant()
         OR EXISTS (SELECT 1 FROM user_tenant_access a
                    WHERE a.user_id = users.id AND a.tenant_id = inti_current_tenant()))
  WITH CHECK (inti_all_tenants() OR id = inti_current_user() OR home_tenant_id = inti_current_tenant()
         OR EXISTS (SELECT 1 FROM user_tenant_access a
                    WHERE a.user_id = users.id AND a.tenant_id = inti_current_tenant()));
REVOKE UPDATE ON auth_sessions, refresh_tokens, users, invitations FROM inti_app;
GRANT UPDATE ON auth_sessions, refresh_tokens, users, invitations TO inti_app;
