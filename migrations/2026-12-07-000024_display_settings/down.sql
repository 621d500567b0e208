ALTER TABLE tenants ADD COLUMN parent_tenant_id uuid REFERENCES tenants (id);
UPDATE tenants SET parent_tenant_id = (settings ->> 'parentTenantId')::uuid,
                   settings = settings - 'parentTenantId'
  WHERE settings ? 'parentTenantId';
REVOKE UPDATE (preferences) ON users FROM inti_app;
ALTER TABLE users ADD COLUMN profile jsonb NOT NULL DEFAULT '{}'::jsonb;
