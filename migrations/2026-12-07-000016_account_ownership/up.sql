-- Accounts belong to whoever owns the address. Nobody chooses or learns another person's
-- password: an invitation, a password reset and an address change each send a one-time link
-- to the address, through a mail outbox written in the same transaction as the change.

-- One-time links. Only a SHA-256 of the token is stored; a token is bound to the address it
-- was sent to (an account whose address changed since cannot use it), used once, and expires.
CREATE TABLE account_tokens (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id     uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  purpose     text NOT NULL CHECK (purpose IN ('INVITATION', 'PASSWORD_RESET', 'EMAIL_CHANGE')),
  token_hash  bytea NOT NULL UNIQUE,
  -- The address the link went to; for EMAIL_CHANGE, the new address it will verify.
  email       varchar(255) NOT NULL,
  expires_at  timestamptz NOT NULL,
  used_at     timestamptz,
  created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX idx_account_tokens_user ON account_tokens (user_id) WHERE used_at IS NULL;

-- Mail waiting to be sent, sent, or given up on. Workers on any node claim due rows with
-- FOR UPDATE SKIP LOCKED and lease them (SENDING until lease_until), so one message is sent by
-- one node; a crashed worker's lease runs out and the row is tried again. The body may hold a
-- one-time link: it is cleared once sent.
CREATE TABLE mail_outbox (
  id               bigserial PRIMARY KEY,
  tenant_id        uuid REFERENCES tenants (id) ON DELETE SET NULL,
  kind             text NOT NULL CHECK (kind IN ('INVITATION', 'PASSWORD_RESET', 'EMAIL_CHANGE', 'EMAIL_CHANGE_NOTICE')),
  recipient        varchar(255) NOT NULL,
  subject          text NOT NULL,
  body             text,
  status           text NOT NULL DEFAULT 'PENDING' CHECK (status IN ('PENDING', 'SENDING', 'SENT', 'FAILED')),
  attempts         integer NOT NULL DEFAULT 0,
  next_attempt_at  timestamptz NOT NULL DEFAULT now(),
  lease_until      timestamptz,
  -- Which claim holds the lease: only that worker marks the message sent or failed.
  claim            uuid,
  last_error       text,
  created_at       timestamptz NOT NULL DEFAULT now(),
  sent_at          timestamptz
);
CREATE INDEX idx_mail_outbox_due ON mail_outbox (next_attempt_at) WHERE status IN ('PENDING', 'SENDING');

-- Which message carried an invitation: the inviting tenant sees whether it went out.
ALTER TABLE invitations ADD COLUMN mail_id bigint REFERENCES mail_outbox (id) ON DELETE SET NULL;
GRANT UPDATE (mail_id) ON invitations TO inti_app;

GRANT SELECT, INSERT, UPDATE, DELETE ON account_tokens TO inti_app;
-- A queued body may hold a one-time link: the server's role never selects it directly
-- (the inviting tenant may see its invitation's delivery, not its link); the worker reads
-- bodies through a function only platform work may call.
GRANT INSERT, UPDATE, DELETE ON mail_outbox TO inti_app;
GRANT SELECT (id, tenant_id, kind, recipient, subject, status, attempts, next_attempt_at,
  lease_until, claim, last_error, created_at, sent_at) ON mail_outbox TO inti_app;
CREATE FUNCTION inti_mail_bodies(ids bigint[]) RETURNS TABLE (id bigint, body text)
  LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS
$$
BEGIN
  IF NOT inti_all_tenants() THEN
    RAISE EXCEPTION 'permission denied: mail bodies are platform data' USING ERRCODE = '42501';
  END IF;
  RETURN QUERY SELECT m.id, m.body FROM mail_outbox m WHERE m.id = ANY(ids);
END
$$;
REVOKE ALL ON FUNCTION inti_mail_bodies(bigint[]) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION inti_mail_bodies(bigint[]) TO inti_app;
GRANT USAGE, SELECT ON SEQUENCE mail_outbox_id_seq TO inti_app;

-- Tokens are platform work only (the links are redeemed before anyone is signed in).
ALTER TABLE account_tokens ENABLE ROW LEVEL SECURITY;
ALTER TABLE account_tokens FORCE ROW LEVEL SECURITY;
CREATE POLICY account_tokens_all ON account_tokens
  USING (inti_all_tenants()) WITH CHECK (inti_all_tenants());

-- The outbox: written in the transaction of the change that sends mail (a tenant scope for
-- invitations), read by its tenant (delivery status) and by platform work (the worker).
ALTER TABLE mail_outbox ENABLE ROW LEVEL SECURITY;
ALTER TABLE mail_outbox FORCE ROW LEVEL SECURITY;
CREATE POLICY mail_outbox_read ON mail_outbox FOR SELECT
  USING (inti_all_tenants() OR tenant_id = inti_current_tenant());
CREATE POLICY mail_outbox_insert ON mail_outbox FOR INSERT
  WITH CHECK (inti_all_tenants() OR tenant_id = inti_current_tenant());
CREATE POLICY mail_outbox_update ON mail_outbox FOR UPDATE
  USING (inti_all_tenants()) WITH CHECK (inti_all_tenants());
CREATE POLICY mail_outbox_delete ON mail_outbox FOR DELETE USING (inti_all_tenants());

-- Invitations no longer create usable accounts, so none is accepted at a first sign-in.
ALTER TABLE invitations DROP COLUMN auto_accept;

-- The server's role, in a tenant scope, creates accounts (invitations) only without a
-- password, unverified and active: whoever owns the address chooses the password from the
-- mailed link. Platform work (the CLI, seeding) may create an account with one, and so may
-- the database's owner.
CREATE FUNCTION inti_new_account_check() RETURNS trigger LANGUAGE plpgsql AS
$$
BEGIN
  IF current_user = 'inti_app' AND NOT inti_all_tenants()
     AND (NEW.password_hash IS DISTINCT FROM '!unset' OR NEW.email_verified
                                 OR NEW.two_factor_enabled OR NEW.status <> 'ACTIVE') THEN
    RAISE EXCEPTION 'permission denied: a tenant creates accounts without a password' USING ERRCODE = '42501';
  END IF;
  RETURN NEW;
END
$$;
CREATE TRIGGER users_new_account BEFORE INSERT ON users
  FOR EACH ROW EXECUTE FUNCTION inti_new_account_check();

-- An account's password, address and standing change only through these functions, never by
-- an UPDATE from a tenant scope: a tenant admin's scope could otherwise rewrite the password
-- hash or status of the accounts whose home it is. Each checks who asks, then acts as
-- platform work for the one statement (and puts the caller's scope back).
REVOKE UPDATE (password_hash, password_changed_at, status) ON users FROM inti_app;

-- The account itself (changing its password) or platform work (a link, the CLI).
CREATE FUNCTION inti_set_password(account uuid, hash text) RETURNS boolean
  LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
  was text := coalesce(current_setting('inti.all_tenants', true), '');
  n integer;
BEGIN
  IF NOT (inti_all_tenants() OR account = inti_current_user()) THEN
    RAISE EXCEPTION 'permission denied to set the password of another account' USING ERRCODE = '42501';
  END IF;
  PERFORM set_config('inti.all_tenants', 'on', true);
  UPDATE users SET password_hash = hash, password_changed_at = now() WHERE id = account;
  GET DIAGNOSTICS n = ROW_COUNT;
  PERFORM set_config('inti.all_tenants', was, true);
  RETURN n = 1;
END $$;

-- Platform work only: a verified address (a link opened from it, or an address change
-- confirmed from the new one).
CREATE FUNCTION inti_set_email(account uuid, new_email text) RETURNS boolean
  LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE n integer;
BEGIN
  IF NOT inti_all_tenants() THEN
    RAISE EXCEPTION 'permission denied to change the address of an account' USING ERRCODE = '42501';
  END IF;
  UPDATE users SET email = new_email, email_verified = true WHERE id = account;
  GET DIAGNOSTICS n = ROW_COUNT;
  RETURN n = 1;
END $$;

-- Platform work only: suspending, reactivating or deactivating an account everywhere.
CREATE FUNCTION inti_set_account_status(account uuid, new_status text) RETURNS boolean
  LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE n integer;
BEGIN
  IF NOT inti_all_tenants() THEN
    RAISE EXCEPTION 'permission denied to change the status of an account' USING ERRCODE = '42501';
  END IF;
  UPDATE users SET status = new_status WHERE id = account;
  GET DIAGNOSTICS n = ROW_COUNT;
  RETURN n = 1;
END $$;

REVOKE ALL ON FUNCTION inti_set_password(uuid, text), inti_set_email(uuid, text),
  inti_set_account_status(uuid, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION inti_set_password(uuid, text), inti_set_email(uuid, text),
  inti_set_account_status(uuid, text) TO inti_app;
