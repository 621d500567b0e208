DROP INDEX idx_gateway_calls_tenant;
CREATE INDEX idx_gateway_calls_tenant ON gateway_calls (tenant_id, created_at DESC);
ALTER TABLE gateway_calls DROP CONSTRAINT gateway_calls_pkey;
ALTER TABLE gateway_calls ADD PRIMARY KEY (id);
