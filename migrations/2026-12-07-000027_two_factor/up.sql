-- The second factor: an authenticator app (TOTP, RFC 6238) and single-use recovery codes.
-- Both are the person's own: no tenant scope sees or changes them, only the account itself
-- (and platform work, such as the CLI).
CREATE TABLE user_totp (
  user_id      uuid PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
  -- Sealed with the server's keyring (the account's id as associated data).
  secret       bytea NOT NULL,
  -- NULL while being set up: the first correct code confirms it.
  confirmed_at timestamptz,
  -- The last time step a code was accepted for: each code is good once.
  last_step    bigint NOT NULL DEFAULT 0,
  created_at   timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE user_recovery_codes (
  user_id   uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  -- SHA-256 of the normalised code; the code itself is shown once.
  code_hash bytea NOT NULL,
  used_at   timestamptz,
  PRIMARY KEY (user_id, code_hash)
);

ALTER TABLE user_totp ENABLE ROW LEVEL SECURITY;
ALTER TABLE user_totp FORCE ROW LEVEL SECURITY;
ALTER TABLE user_recovery_codes ENABLE ROW LEVEL SECURITY;
ALTER TABLE user_recovery_codes FORCE ROW LEVEL SECURITY;
CREATE POLICY own ON user_totp
  USING (inti_all_tenants() OR user_id = inti_current_user())
  WITH CHECK (inti_all_tenants() OR user_id = inti_current_user());
CREATE POLICY own ON user_recovery_codes
  USING (inti_all_tenants() OR user_id = inti_current_user())
  WITH CHECK (inti_all_tenants() OR user_id = inti_current_user());
GRANT SELECT, INSERT, DELETE ON user_totp, user_recovery_codes TO inti_app;
GRANT UPDATE (secret, confirmed_at, last_step, created_at) ON user_totp TO inti_app;
GRANT UPDATE (used_at) ON user_recovery_codes TO inti_app;

-- Which second factor a session's sign-in passed (`TOTP`, `RECOVERY_CODE`; NULL: the
-- password alone). A tenant switch keeps it; a tenant that requires a second factor of its
-- administrators is entered only by a session that passed one.
ALTER TABLE auth_sessions ADD COLUMN second_factor text
  CHECK (second_factor IN ('TOTP', 'RECOVERY_CODE'));

-- `users.two_factor_enabled` follows the confirmed authenticator; the server's role cannot
-- set it (it has no UPDATE on that column), so a tenant admin's scope cannot turn it off.
CREATE FUNCTION inti_sync_two_factor() RETURNS trigger
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
  who uuid;
  was text := coalesce(current_setting('inti.all_tenants', true), '');
BEGIN
  IF TG_OP = 'DELETE' THEN who := OLD.user_id; ELSE who := NEW.user_id; END IF;
  PERFORM set_config('inti.all_tenants', 'on', true);
  UPDATE users SET two_factor_enabled =
      EXISTS (SELECT 1 FROM user_totp WHERE user_id = who AND confirmed_at IS NOT NULL)
    WHERE id = who;
  PERFORM set_config('inti.all_tenants', was, true);
  RETURN NULL;
END $$;
REVOKE ALL ON FUNCTION inti_sync_two_factor() FROM PUBLIC;
CREATE TRIGGER user_totp_sync AFTER INSERT OR DELETE ON user_totp
  FOR EACH ROW EXECUTE FUNCTION inti_sync_two_factor();
CREATE TRIGGER user_totp_sync_confirm AFTER UPDATE OF confirmed_at ON user_totp
  FOR EACH ROW WHEN (OLD.confirmed_at IS DISTINCT FROM NEW.confirmed_at)
  EXECUTE FUNCTION inti_sync_two_factor();

-- A tenant may require its administrators to use a second factor; its own admins (holding
-- `tenant:update`) set this beside the name and settings.
ALTER TABLE tenants ADD COLUMN require_admin_two_factor boolean NOT NULL DEFAULT false;

CREATE OR REPLACE FUNCTION inti_tenant_own_edit() RETURNS trigger LANGUAGE plpgsql AS
$$
BEGIN
  -- Like row-level security, it binds the server's role, not the tables' owner (migrations).
  IF NOT inti_all_tenants()
     AND NOT (SELECT rolsuper OR rolbypassrls FROM pg_roles WHERE rolname = current_user)
     AND (to_jsonb(NEW) - 'name' - 'settings' - 'require_admin_two_factor' - 'updated_at')
         IS DISTINCT FROM
         (to_jsonb(OLD) - 'name' - 'settings' - 'require_admin_two_factor' - 'updated_at') THEN
    RAISE EXCEPTION 'permission denied: only platform work changes a tenant''s domain, type, tier, limit or status'
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN NEW;
END
$$;
