DROP TRIGGER IF EXISTS services_notify_access ON services;
DROP TRIGGER IF EXISTS service_endpoints_notify_access ON service_endpoints;
DROP TRIGGER IF EXISTS tenant_service_assignments_notify_access ON tenant_service_assignments;
DROP INDEX IF EXISTS idx_endpoint_service;
ALTER TABLE services DROP CONSTRAINT IF EXISTS services_key_hint_with_key;
ALTER TABLE services DROP COLUMN IF EXISTS api_key_updated_at;
ALTER TABLE services DROP COLUMN IF EXISTS api_key_hint;
ALTER TABLE services DROP COLUMN IF EXISTS settings_schema;
