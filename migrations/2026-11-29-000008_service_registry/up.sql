-- The service registry (issue 7): a schema for each tenant's custom settings, the last four
-- characters of an API key (shown masked; the key itself is write-only and encrypted by the
-- application), and changes that reach every node's cached sessions (their services).
ALTER TABLE services ADD COLUMN settings_schema jsonb;
ALTER TABLE services ADD COLUMN api_key_hint varchar(4);
ALTER TABLE services ADD COLUMN api_key_updated_at timestamptz;
ALTER TABLE services ADD CONSTRAINT services_key_hint_with_key
  CHECK (api_key_hint IS NULL OR api_key_ciphertext IS NOT NULL);

CREATE INDEX idx_endpoint_service ON service_endpoints (service_id);

CREATE TRIGGER services_notify_access AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON services
  FOR EACH STATEMENT EXECUTE FUNCTION inti_notify_access();
CREATE TRIGGER service_endpoints_notify_access AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON service_endpoints
  FOR EACH STATEMENT EXECUTE FUNCTION inti_notify_access();
CREATE TRIGGER tenant_service_assignments_notify_access AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON tenant_service_assignments
  FOR EACH STATEMENT EXECUTE FUNCTION inti_notify_access();
