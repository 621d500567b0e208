-- Services' sealed secrets (API keys, webhook secrets) are not readable from a tenant scope:
-- every tenant scope may read the registry (services are shared), but the ciphertexts are
-- platform data. The server's role reads every other column directly and the sealed ones
-- only through a function that platform work alone may call.
REVOKE SELECT ON services FROM inti_app;
GRANT SELECT (id, name, display_name, description, type, category, status, visibility, base_url,
  api_key_required, auth_type, health_check_url, form_schema, menu_schema, version,
  documentation_url, contact_email, registered_by, registered_tenant_id, created_at, updated_at,
  settings_schema, api_key_hint, api_key_updated_at, form_version) ON services TO inti_app;

-- The sealed secrets of the services in `ids` (all services when NULL), platform work only.
CREATE FUNCTION inti_service_secrets(ids uuid[])
  RETURNS TABLE (id uuid, api_key bytea, webhook_secret bytea)
  LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS
$$
BEGIN
  IF NOT inti_all_tenants() THEN
    RAISE EXCEPTION 'permission denied: sealed secrets are platform data' USING ERRCODE = '42501';
  END IF;
  RETURN QUERY SELECT s.id, s.api_key_ciphertext, s.webhook_secret_ciphertext FROM services s
    WHERE ids IS NULL OR s.id = ANY(ids);
END
$$;
REVOKE ALL ON FUNCTION inti_service_secrets(uuid[]) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION inti_service_secrets(uuid[]) TO inti_app;
