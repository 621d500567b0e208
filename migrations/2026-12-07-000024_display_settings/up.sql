-- A person's display settings (time zone, date format) live in `users.preferences`, which
-- they change themselves. `users.profile` and `tenants.parent_tenant_id` were never used
-- by anything: they go, and whatever they held is kept beside (a profile's keys join the
-- preferences, a parent tenant is remembered in the tenant's settings).
UPDATE users SET preferences = profile || preferences WHERE profile <> '{}'::jsonb;
ALTER TABLE users DROP COLUMN profile;
GRANT UPDATE (preferences) ON users TO inti_app;

UPDATE tenants SET settings = settings || jsonb_build_object('parentTenantId', parent_tenant_id)
  WHERE parent_tenant_id IS NOT NULL;
ALTER TABLE tenants DROP COLUMN parent_tenant_id;
