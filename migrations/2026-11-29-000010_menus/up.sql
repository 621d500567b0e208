-- Menus (issue 8). Layouts are append-only: each save is a new version, with its author's
-- name as it was then. A NULL tenant is the global layout (super admins); a tenant's layout
-- sits on top of it.
CREATE TABLE menu_layouts (
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id     uuid REFERENCES tenants(id) ON DELETE CASCADE,
  version       integer NOT NULL CHECK (version > 0),
  operations    jsonb NOT NULL,
  author_id     uuid REFERENCES users(id) ON DELETE SET NULL,
  author_name   varchar(255) NOT NULL,
  -- A revert saves an earlier version's operations again, as a new version.
  reverted_from integer,
  created_at    timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT menu_layouts_version_unique UNIQUE NULLS NOT DISTINCT (tenant_id, version)
);

ALTER TABLE menu_layouts ENABLE ROW LEVEL SECURITY;
ALTER TABLE menu_layouts FORCE ROW LEVEL SECURITY;
-- Everybody's menu reads the global layout; a tenant's layout only its own tenant.
CREATE POLICY menu_layouts_read ON menu_layouts FOR SELECT
  USING (tenant_id IS NULL OR tenant_id = inti_current_tenant() OR inti_all_tenants());
CREATE POLICY menu_layouts_insert ON menu_layouts FOR INSERT
  WITH CHECK (CASE WHEN tenant_id IS NULL THEN inti_all_tenants()
                   ELSE tenant_id = inti_current_tenant() OR inti_all_tenants() END);
GRANT SELECT, INSERT ON menu_layouts TO inti_app;

-- A new layout changes menus: a tenant's drops the cached sessions of that tenant
-- (`tenant:<id>`), the global one every cached session (`all`).
CREATE FUNCTION inti_notify_layout() RETURNS trigger
  LANGUAGE plpgsql AS
$$
DECLARE
  changed uuid := CASE WHEN TG_OP = 'DELETE' THEN OLD.tenant_id ELSE NEW.tenant_id END;
BEGIN
  IF changed IS NULL OR (TG_OP = 'UPDATE' AND OLD.tenant_id IS DISTINCT FROM NEW.tenant_id) THEN
    PERFORM pg_notify('inti_access', 'all');
  ELSE
    PERFORM pg_notify('inti_access', 'tenant:' || changed);
  END IF;
  RETURN NULL;
END
$$;
CREATE TRIGGER menu_layouts_notify_access AFTER INSERT OR UPDATE OR DELETE ON menu_layouts
  FOR EACH ROW EXECUTE FUNCTION inti_notify_layout();
CREATE TRIGGER menu_layouts_truncate_notify_access AFTER TRUNCATE ON menu_layouts
  FOR EACH STATEMENT EXECUTE FUNCTION inti_notify_access();

-- The registry's version: bumped by every statement that changes services, endpoints or
-- assignments, in the changing transaction. The shared (Redis) menu cache's keys carry it, so
-- a change is seen by the next request on any node, without deleting keys.
CREATE TABLE inti_versions (
  name    varchar(40) PRIMARY KEY,
  version bigint NOT NULL
);
INSERT INTO inti_versions (name, version) VALUES ('registry', 1);
-- Everyone reads it. The server's role has no UPDATE grant: only the triggers' function,
-- run as its owner, bumps it (the UPDATE policy exists for an owner subject to RLS).
ALTER TABLE inti_versions ENABLE ROW LEVEL SECURITY;
ALTER TABLE inti_versions FORCE ROW LEVEL SECURITY;
CREATE POLICY inti_versions_read ON inti_versions FOR SELECT USING (true);
CREATE POLICY inti_versions_bump ON inti_versions FOR UPDATE USING (true) WITH CHECK (true);
GRANT SELECT ON inti_versions TO inti_app;

CREATE FUNCTION inti_bump_registry_version() RETURNS trigger
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS
$$
BEGIN
  UPDATE inti_versions SET version = version + 1 WHERE name = 'registry';
  RETURN NULL;
END
$$;

CREATE TRIGGER services_registry_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON services
  FOR EACH STATEMENT EXECUTE FUNCTION inti_bump_registry_version();
CREATE TRIGGER service_endpoints_registry_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON service_endpoints
  FOR EACH STATEMENT EXECUTE FUNCTION inti_bump_registry_version();
CREATE TRIGGER tenant_service_assignments_registry_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON tenant_service_assignments
  FOR EACH STATEMENT EXECUTE FUNCTION inti_bump_registry_version();

-- The functions that see every tenant search `public` and then nothing a session could
-- have planted (temporary objects come last, not first).
ALTER FUNCTION inti_session_principal(uuid) SET search_path = public, pg_temp;
ALTER FUNCTION inti_refresh_token_principal(bytea) SET search_path = public, pg_temp;
ALTER FUNCTION inti_is_platform_admin() SET search_path = public, pg_temp;
ALTER FUNCTION inti_login_credentials(text) SET search_path = public, pg_temp;
ALTER FUNCTION inti_account_id(text) SET search_path = public, pg_temp;
ALTER FUNCTION inti_resolve_session(uuid) SET search_path = public, pg_temp;
