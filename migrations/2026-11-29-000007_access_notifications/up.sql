-- Every node keeps resolved sessions in memory (src/server/auth/access_cache.rs) and drops
-- them the moment what they were resolved from changes. These triggers NOTIFY `inti_access`
-- inside the changing transaction, so the message leaves exactly when the change commits,
-- whoever made it (the service layer, a migration, an operator at psql).
--   user:<id>  something of one user changed: their row, a grant, a session;
--   all        something many sessions may depend on changed: a tenant, a role, its permissions.
CREATE FUNCTION inti_notify_access() RETURNS trigger
  LANGUAGE plpgsql AS
$$
BEGIN
  IF TG_LEVEL = 'STATEMENT' THEN
    PERFORM pg_notify('inti_access', 'all');
    RETURN NULL;
  END IF;
  -- TG_ARGV[0]: the column holding the user's id. PostgreSQL folds identical messages of
  -- one transaction into one.
  IF TG_OP <> 'INSERT' THEN
    PERFORM pg_notify('inti_access', 'user:' || (to_jsonb(OLD) ->> TG_ARGV[0]));
  END IF;
  IF TG_OP <> 'DELETE' THEN
    PERFORM pg_notify('inti_access', 'user:' || (to_jsonb(NEW) ->> TG_ARGV[0]));
  END IF;
  RETURN NULL;
END
$$;

CREATE TRIGGER users_notify_access AFTER UPDATE OR DELETE ON users
  FOR EACH ROW EXECUTE FUNCTION inti_notify_access('id');
CREATE TRIGGER user_tenant_access_notify_access AFTER INSERT OR UPDATE OR DELETE ON user_tenant_access
  FOR EACH ROW EXECUTE FUNCTION inti_notify_access('user_id');
-- Inserts too: a new session changes the user's recently used tenants.
CREATE TRIGGER auth_sessions_notify_access AFTER INSERT OR UPDATE OR DELETE ON auth_sessions
  FOR EACH ROW EXECUTE FUNCTION inti_notify_access('user_id');

CREATE TRIGGER users_truncate_notify_access AFTER TRUNCATE ON users
  FOR EACH STATEMENT EXECUTE FUNCTION inti_notify_access();
CREATE TRIGGER user_tenant_access_truncate_notify_access AFTER TRUNCATE ON user_tenant_access
  FOR EACH STATEMENT EXECUTE FUNCTION inti_notify_access();
CREATE TRIGGER auth_sessions_truncate_notify_access AFTER TRUNCATE ON auth_sessions
  FOR EACH STATEMENT EXECUTE FUNCTION inti_notify_access();
-- A platform admin's tenant list reads every tenant: inserts count too.
CREATE TRIGGER tenants_notify_access AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON tenants
  FOR EACH STATEMENT EXECUTE FUNCTION inti_notify_access();
CREATE TRIGGER roles_notify_access AFTER UPDATE OR DELETE OR TRUNCATE ON roles
  FOR EACH STATEMENT EXECUTE FUNCTION inti_notify_access();
CREATE TRIGGER role_permissions_notify_access AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON role_permissions
  FOR EACH STATEMENT EXECUTE FUNCTION inti_notify_access();

-- The resolution now also says until when it holds without any change: the session's end,
-- or the first end of one of the user's live grants (the tenant list shows them all).
DROP FUNCTION inti_resolve_session(uuid);
CREATE FUNCTION inti_resolve_session(session uuid)
  RETURNS TABLE (user_id uuid, tenant_id uuid, role_id uuid, role_name text, platform boolean,
                 permissions text[], valid_until timestamptz)
  LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = public SET inti.all_tenants = 'on' AS
$$
#variable_conflict use_column
BEGIN
  RETURN QUERY
  WITH live AS (
    SELECT s.user_id, s.tenant_id, s.expires_at FROM auth_sessions s
    JOIN users u ON u.id = s.user_id AND u.status = 'ACTIVE'
    JOIN tenants t ON t.id = s.tenant_id AND t.status = 'ACTIVE'
    WHERE s.id = session AND s.revoked_at IS NULL AND s.expires_at > now()
  ),
  platform AS (
    SELECT a.role_id FROM live
    JOIN user_tenant_access a ON a.user_id = live.user_id
    JOIN roles r ON r.id = a.role_id AND r.is_system AND r.name = 'SUPER_ADMIN'
    JOIN tenants t ON t.id = a.tenant_id AND t.type = 'CORE' AND t.status = 'ACTIVE'
    WHERE a.status = 'ACTIVE' AND (a.expires_at IS NULL OR a.expires_at > now())
    LIMIT 1
  ),
  here AS (
    SELECT a.role_id FROM live
    JOIN user_tenant_access a ON a.user_id = live.user_id AND a.tenant_id = live.tenant_id
    WHERE a.status = 'ACTIVE' AND (a.expires_at IS NULL OR a.expires_at > now())
  ),
  chosen AS (
    SELECT role_id, true AS platform FROM platform
    UNION ALL
    SELECT role_id, false FROM here WHERE NOT EXISTS (SELECT 1 FROM platform)
  )
  SELECT live.user_id, live.tenant_id, chosen.role_id, r.name::text, chosen.platform,
         array(SELECT rp.permission::text FROM role_permissions rp
               WHERE rp.role_id = chosen.role_id ORDER BY 1),
         least(live.expires_at,
               (SELECT min(a.expires_at) FROM user_tenant_access a
                WHERE a.user_id = live.user_id AND a.status = 'ACTIVE' AND a.expires_at > now()))
  FROM live JOIN chosen ON true JOIN roles r ON r.id = chosen.role_id
  LIMIT 1;
END
$$;

REVOKE ALL ON FUNCTION inti_resolve_session(uuid) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION inti_resolve_session(uuid) TO inti_app;
