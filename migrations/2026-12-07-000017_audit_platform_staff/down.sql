DROP TRIGGER audit_log_actor_platform ON audit_log;
DROP FUNCTION inti_audit_actor_platform();
DROP FUNCTION inti_is_platform_staff(uuid);
ALTER TABLE audit_log DROP COLUMN actor_platform;
