-- Whether an audit entry's actor acted as platform staff (a super admin of the CORE tenant),
-- fixed when the entry is written: a business tenant's audit log shows such entries as
-- "Platform staff", without the person's address or network. Set by a trigger, so no
-- caller can forget or forge it.
ALTER TABLE audit_log ADD COLUMN actor_platform boolean NOT NULL DEFAULT false;

CREATE FUNCTION inti_is_platform_staff(account uuid) RETURNS boolean
  LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = public, pg_temp SET inti.all_tenants = 'on' AS
$$
BEGIN
  RETURN EXISTS (
    SELECT 1 FROM user_tenant_access a
    JOIN roles r ON r.id = a.role_id
    JOIN tenants t ON t.id = a.tenant_id
    WHERE a.user_id = account
      AND a.status = 'ACTIVE' AND (a.expires_at IS NULL OR a.expires_at > now())
      AND r.is_system AND r.name = 'SUPER_ADMIN' AND t.type = 'CORE');
END
$$;
REVOKE ALL ON FUNCTION inti_is_platform_staff(uuid) FROM PUBLIC;

CREATE FUNCTION inti_audit_actor_platform() RETURNS trigger
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS
$$
BEGIN
  NEW.actor_platform := NEW.actor_user_id IS NOT NULL AND inti_is_platform_staff(NEW.actor_user_id);
  RETURN NEW;
END
$$;
CREATE TRIGGER audit_log_actor_platform BEFORE INSERT ON audit_log
  FOR EACH ROW EXECUTE FUNCTION inti_audit_actor_platform();

-- Platform work, so that row-level security lets the backfill see every entry even when the
-- migrating role is not a superuser.
SELECT set_config('inti.all_tenants', 'on', true);
UPDATE audit_log SET actor_platform = true
  WHERE actor_user_id IS NOT NULL AND inti_is_platform_staff(actor_user_id);
