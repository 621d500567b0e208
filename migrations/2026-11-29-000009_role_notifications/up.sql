-- A change to one role's permissions drops only the cached sessions acting through that role
-- (`role:<id>`), instead of every session on every node: one tenant admin editing a custom
-- role must not empty the platform's cache. A role's name, system flag or tenant can change
-- only by hand (the API cannot): then every session may depend on it (tenant lists show role
-- names; platform authority reads them), so such an update still drops everything.
DROP TRIGGER roles_notify_access ON roles;
DROP TRIGGER role_permissions_notify_access ON role_permissions;

CREATE FUNCTION inti_notify_role() RETURNS trigger
  LANGUAGE plpgsql AS
$$
BEGIN
  IF TG_OP <> 'INSERT' THEN
    PERFORM pg_notify('inti_access', 'role:' || (to_jsonb(OLD) ->> TG_ARGV[0]));
  END IF;
  IF TG_OP <> 'DELETE' THEN
    PERFORM pg_notify('inti_access', 'role:' || (to_jsonb(NEW) ->> TG_ARGV[0]));
  END IF;
  RETURN NULL;
END
$$;

CREATE TRIGGER roles_notify_access AFTER UPDATE OR DELETE ON roles
  FOR EACH ROW EXECUTE FUNCTION inti_notify_role('id');
CREATE TRIGGER role_permissions_notify_access AFTER INSERT OR UPDATE OR DELETE ON role_permissions
  FOR EACH ROW EXECUTE FUNCTION inti_notify_role('role_id');
CREATE TRIGGER roles_identity_notify_access AFTER UPDATE OF name, is_system, tenant_id ON roles
  FOR EACH STATEMENT EXECUTE FUNCTION inti_notify_access();
CREATE TRIGGER roles_truncate_notify_access AFTER TRUNCATE ON roles
  FOR EACH STATEMENT EXECUTE FUNCTION inti_notify_access();
CREATE TRIGGER role_permissions_truncate_notify_access AFTER TRUNCATE ON role_permissions
  FOR EACH STATEMENT EXECUTE FUNCTION inti_notify_access();
