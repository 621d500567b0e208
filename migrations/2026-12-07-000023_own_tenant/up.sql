-- A tenant admin (`tenant:update` in the tenant) renames their own tenant and edits its
-- settings. Everything else about a tenant (domain, type, tier, user limit, status) stays
-- platform work: the trigger refuses any other column's change outside it.
DROP POLICY tenants_update ON tenants;
CREATE POLICY tenants_update ON tenants FOR UPDATE
  USING (inti_all_tenants() OR id = inti_current_tenant())
  WITH CHECK (inti_all_tenants() OR id = inti_current_tenant());

CREATE FUNCTION inti_tenant_own_edit() RETURNS trigger LANGUAGE plpgsql AS
$$
BEGIN
  -- Like row-level security, it binds the server's role, not the tables' owner (migrations).
  IF NOT inti_all_tenants()
     AND NOT (SELECT rolsuper OR rolbypassrls FROM pg_roles WHERE rolname = current_user)
     AND (to_jsonb(NEW) - 'name' - 'settings' - 'updated_at')
         IS DISTINCT FROM (to_jsonb(OLD) - 'name' - 'settings' - 'updated_at') THEN
    RAISE EXCEPTION 'permission denied: only platform work changes a tenant''s domain, type, tier, limit or status'
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN NEW;
END
$$;
CREATE TRIGGER tenants_own_edit BEFORE UPDATE ON tenants
  FOR EACH ROW EXECUTE FUNCTION inti_tenant_own_edit();
