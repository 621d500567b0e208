DROP TRIGGER IF EXISTS services_registry_version ON services;
DROP TRIGGER IF EXISTS service_endpoints_registry_version ON service_endpoints;
DROP TRIGGER IF EXISTS tenant_service_assignments_registry_version ON tenant_service_assignments;
DROP FUNCTION IF EXISTS inti_bump_registry_version();
DROP TABLE IF EXISTS inti_versions;
DROP TABLE IF EXISTS menu_layouts;
DROP FUNCTION IF EXISTS inti_notify_layout();
