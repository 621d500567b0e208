-- Platform work: the tenants' own-edit trigger lets only it change other columns.
SELECT set_config('inti.all_tenants', 'on', true);
ALTER TABLE tenants ADD COLUMN parent_tenant_id uuid REFERENCES tenants (id);
UPDATE tenants t SET parent_tenant_id = (t.settings ->> 'parentTenantId')::uuid,
                     settings = t.settings - 'parentTenantId'
  WHERE t.settings ->> 'parentTenantId' ~ '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$'
    AND EXISTS (SELECT 1 FROM tenants p WHERE p.id = (t.settings ->> 'parentTenantId')::uuid);
REVOKE UPDATE (preferences) ON users FROM inti_app;
-- The profile's keys stay in the preferences (they were merged; nothing tells them apart).
ALTER TABLE users ADD COLUMN profile jsonb NOT NULL DEFAULT '{}'::jsonb;
