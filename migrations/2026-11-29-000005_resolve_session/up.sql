-- Resolving a session into who acts, where, with which permissions, in one round trip:
-- a live session of an active user in an active tenant, through a live grant there or a
-- platform grant (the system SUPER_ADMIN role in the CORE tenant, which reaches every active
-- tenant). The same rules as the service layer's `access::reachable`, which answers the
-- tenant lists; this answers the one tenant of a request.
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
