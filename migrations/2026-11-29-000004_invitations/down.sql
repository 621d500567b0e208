DROP POLICY roles_read ON roles;
CREATE POLICY roles_read ON roles FOR SELECT
  USING (tenant_id IS NULL OR inti_all_tenants() OR tenant_id = inti_current_tenant()
         OR EXISTS (SELECT 1 FROM user_tenant_access a
                    WHERE a.role_id = roles.id AND a.user_id = inti_current_user()));
DROP POLICY tenants_read ON tenants;
CREATE POLICY tenants_read ON tenants FOR SELECT
  USING (inti_all_tenants() OR id = inti_current_tenant()
         OR EXISTS (SELECT 1 FROM user_tenant_access a
                    WHERE a.tenant_id = tenants.id AND a.user_id = inti_current_user())
         OR (SELECT inti_is_platform_admin()));
DROP TABLE invitations;
