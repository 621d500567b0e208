-- The server reads which migrations a database has, to refuse one migrated by a newer
-- release (or one still missing this release's migrations) with one clear line.
GRANT SELECT ON __diesel_schema_migrations TO inti_app;
