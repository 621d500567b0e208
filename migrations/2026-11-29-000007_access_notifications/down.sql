DROP TRIGGER IF EXISTS users_notify_access ON users;
DROP TRIGGER IF EXISTS user_tenant_access_notify_access ON user_tenant_access;
DROP TRIGGER IF EXISTS auth_sessions_notify_access ON auth_sessions;
DROP TRIGGER IF EXISTS users_truncate_notify_access ON users;
DROP TRIGGER IF EXISTS user_tenant_access_truncate_notify_access ON user_tenant_access;
DROP TRIGGER IF EXISTS auth_sessions_truncate_notify_access ON auth_sessions;
DROP TRIGGER IF EXISTS tenants_notify_access ON tenants;
DROP TRIGGER IF EXISTS roles_notify_access ON roles;
DROP TRIGGER IF EXISTS role_permissions_notify_access ON role_permissions;
DROP FUNCTION IF EXISTS inti_notify_access();
DROP FUNCTION IF EXISTS inti_resolve_session(uuid);
CREATE FUNCTION inti_resolve_session(session uuid)
  RETURNS TABLE (user_id uuid, tenant_id uuid, role_id uuid, role_name text, platform boolean,
                 permissions text[])
  -- PL/pgSQL, not SQL: its plan is cached per connection instead of made on every call.
  LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = public SET inti.all_tenants = 'on' AS
$$
#variable_conflict use_column
BEGIN
  RETURN QUERY
  WITH live AS (
    SELECT s.user_id, s.tenant_id FROM auth_sessions s
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
               WHERE rp.role_id = chosen.role_id ORDER BY 1)
  FROM live JOIN chosen ON true JOIN roles r ON r.id = chosen.role_id
  LIMIT 1;
END
$$;

REVOKE ALL ON FUNCTION inti_resolve_session(uuid) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION inti_resolve_session(uuid) TO inti_app;
