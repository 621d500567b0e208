DROP TRIGGER IF EXISTS roles_notify_access ON roles;
DROP TRIGGER IF EXISTS role_permissions_notify_access ON role_permissions;
DROP TRIGGER IF EXISTS roles_truncate_notify_access ON roles;
DROP TRIGGER IF EXISTS roles_identity_notify_access ON roles;
DROP TRIGGER IF EXISTS role_permissions_truncate_notify_access ON role_permissions;
DROP FUNCTION IF EXISTS inti_notify_role();
CREATE TRIGGER roles_notify_access AFTER UPDATE OR DELETE OR TRUNCATE ON roles
  FOR EACH STATEMENT EXECUTE FUNCTION inti_notify_access();
CREATE TRIGGER role_permissions_notify_access AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON role_permissions
  FOR EACH STATEMENT EXECUTE FUNCTION inti_notify_access();
