REVOKE SELECT ON __diesel_schema_migrations FROM inti_app;
