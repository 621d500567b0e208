CREATE OR REPLACE FUNCTION inti_account_id(account_email text) RETURNS uuid
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp SET inti.all_tenants = 'on' AS
  $$ SELECT u.id FROM users u WHERE u.email = account_email $$;

CREATE OR REPLACE FUNCTION inti_is_platform_admin() RETURNS boolean
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp SET inti.all_tenants = 'on' AS
  $$ SELECT EXISTS (
       SELECT 1 FROM user_tenant_access a
       JOIN roles r ON r.id = a.role_id
       JOIN tenants t ON t.id = a.tenant_id
       JOIN users u ON u.id = a.user_id
       WHERE a.user_id = nullif(current_setting('inti.user_id', true), '')::uuid
         AND a.status = 'ACTIVE' AND (a.expires_at IS NULL OR a.expires_at > now())
         AND r.is_system AND r.name = 'SUPER_ADMIN'
         AND t.type = 'CORE' AND t.status = 'ACTIVE' AND u.status = 'ACTIVE') $$;

CREATE OR REPLACE FUNCTION inti_login_credentials(login_email text)
  RETURNS TABLE (id uuid, password_hash text, status text)
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp SET inti.all_tenants = 'on' AS
  $$ SELECT u.id, u.password_hash::text, u.status FROM users u WHERE u.email = login_email $$;

CREATE OR REPLACE FUNCTION inti_refresh_token_principal(hash bytea)
  RETURNS TABLE (session_id uuid, user_id uuid, tenant_id uuid)
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp SET inti.all_tenants = 'on' AS
  $$ SELECT s.id, s.user_id, s.tenant_id FROM refresh_tokens t
     JOIN auth_sessions s ON s.id = t.session_id WHERE t.token_hash = hash $$;

CREATE OR REPLACE FUNCTION inti_session_principal(session uuid)
  RETURNS TABLE (user_id uuid, tenant_id uuid)
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp SET inti.all_tenants = 'on' AS
  $$ SELECT s.user_id, s.tenant_id FROM auth_sessions s
     WHERE s.id = session AND s.revoked_at IS NULL AND s.expires_at > now() $$;

DROP FUNCTION inti_record_login(uuid, uuid);
