DROP FUNCTION inti_service_secrets(uuid[]);
GRANT SELECT ON services TO inti_app;
