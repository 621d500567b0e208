-- Every new session records where and when its user last signed in. A function so that the
-- statement is prepared once per connection: diesel never caches an UPDATE, and this one
-- runs in every login and tenant switch. It runs as the caller, under the caller's scope
-- (row-level security applies as it did to the UPDATE it replaces).
CREATE FUNCTION inti_record_login(account uuid, tenant uuid) RETURNS void
  LANGUAGE plpgsql VOLATILE SECURITY INVOKER AS
$$
BEGIN
  UPDATE users SET last_login_at = now(), current_tenant_id = tenant WHERE id = account;
END
$$;
REVOKE ALL ON FUNCTION inti_record_login(uuid, uuid) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION inti_record_login(uuid, uuid) TO inti_app;

-- The security-definer lookups become PL/pgSQL with the same signatures, owners and grants.
-- A LANGUAGE sql function that cannot be inlined (these cannot: SECURITY DEFINER, SET) is
-- parsed and planned again on every call; PL/pgSQL keeps its plans per connection. Logins,
-- refreshes, every uncached session resolution and the row-level security policies call them.
CREATE OR REPLACE FUNCTION inti_account_id(account_email text) RETURNS uuid
  LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = public, pg_temp SET inti.all_tenants = 'on' AS
$$
BEGIN
  RETURN (SELECT u.id FROM users u WHERE u.email = account_email);
END
$$;

CREATE OR REPLACE FUNCTION inti_is_platform_admin() RETURNS boolean
  LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = public, pg_temp SET inti.all_tenants = 'on' AS
$$
BEGIN
  RETURN EXISTS (
    SELECT 1 FROM user_tenant_access a
    JOIN roles r ON r.id = a.role_id
    JOIN tenants t ON t.id = a.tenant_id
    JOIN users u ON u.id = a.user_id
    WHERE a.user_id = nullif(current_setting('inti.user_id', true), '')::uuid
      AND a.status = 'ACTIVE' AND (a.expires_at IS NULL OR a.expires_at > now())
      AND r.is_system AND r.name = 'SUPER_ADMIN'
      AND t.type = 'CORE' AND t.status = 'ACTIVE' AND u.status = 'ACTIVE');
END
$$;

CREATE OR REPLACE FUNCTION inti_login_credentials(login_email text)
  RETURNS TABLE (id uuid, password_hash text, status text)
  LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = public, pg_temp SET inti.all_tenants = 'on' AS
$$
BEGIN
  RETURN QUERY SELECT u.id, u.password_hash::text, u.status::text FROM users u WHERE u.email = login_email;
END
$$;

CREATE OR REPLACE FUNCTION inti_refresh_token_principal(hash bytea)
  RETURNS TABLE (session_id uuid, user_id uuid, tenant_id uuid)
  LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = public, pg_temp SET inti.all_tenants = 'on' AS
$$
BEGIN
  RETURN QUERY SELECT s.id, s.user_id, s.tenant_id FROM refresh_tokens t
    JOIN auth_sessions s ON s.id = t.session_id WHERE t.token_hash = hash;
END
$$;

CREATE OR REPLACE FUNCTION inti_session_principal(session uuid)
  RETURNS TABLE (user_id uuid, tenant_id uuid)
  LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = public, pg_temp SET inti.all_tenants = 'on' AS
$$
BEGIN
  RETURN QUERY SELECT s.user_id, s.tenant_id FROM auth_sessions s
    WHERE s.id = session AND s.revoked_at IS NULL AND s.expires_at > now();
END
$$;
