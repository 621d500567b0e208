-- Every table of one tenant's rows is keyed by tenant first, so that a distribution by
-- tenant_id (docs/scaling.md) keeps each key, and each lookup by key, on one shard.
ALTER TABLE gateway_calls DROP CONSTRAINT gateway_calls_pkey;
ALTER TABLE gateway_calls ADD PRIMARY KEY (tenant_id, id);
-- The tenant's own view of its calls, newest first (replaces the index the key now leads).
DROP INDEX idx_gateway_calls_tenant;
CREATE INDEX idx_gateway_calls_tenant ON gateway_calls (tenant_id, created_at DESC, id DESC);
