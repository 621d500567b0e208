DROP TRIGGER tenants_own_edit ON tenants;
DROP FUNCTION inti_tenant_own_edit();
DROP POLICY tenants_update ON tenants;
CREATE POLICY tenants_update ON tenants FOR UPDATE
  USING (inti_all_tenants() OR id = inti_current_tenant()) WITH CHECK (inti_all_tenants());
